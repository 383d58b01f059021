import Foundation
import Logging
import MeshKit
import MeshKitRedis
import MeshKitTestSupport
import MeshKitTesting
import ServiceLifecycle
import Synchronization
import Testing

/// `shutdown()` closes every connection and ends every thread the Redis components started, running
/// subscriptions included, and later calls fail rather than hang.
///
/// Tests run in parallel in one process, so each looks at the `meshkit-redis` threads that appeared
/// while it ran (by thread ID), not at the total.
@Suite("Redis components when shut down")
struct RedisShutdownTests {
    /// The `meshkit-redis` threads started since `before`.
    static func threads(startedSince before: Set<Int>) -> Set<Int> {
        ProcessThreads.ids(namedWithPrefix: redisThreadPrefix).subtracting(before)
    }

    /// Waits until none of `threads` is left.
    static func expectEnded(_ threads: Set<Int>) async throws {
        try await eventually(timeout: .seconds(20), "the Redis threads have ended") {
            ProcessThreads.ids(namedWithPrefix: redisThreadPrefix).isDisjoint(with: threads)
        }
    }

    @Test("mesh.shutdown() stops a running subscription and ends every Redis thread; later calls fail with an error")
    func meshShutdown() async throws {
        try await withRedis { redis in
            let before = ProcessThreads.ids(namedWithPrefix: redisThreadPrefix)
            let mesh = try await makeRedisMesh(address: redis.address)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: "events", handler: recorder.handler())
            let runEnded = Atomic<Bool>(false)
            let running = Task {
                try await mesh.run()
                runEnded.store(true, ordering: .relaxed)
            }
            defer { running.cancel() }
            try await mesh.saveState(store: "statestore", key: "k", value: 1)
            try await mesh.publish(pubsub: "pubsub", topic: "events", value: 1)
            _ = try await recorder.waitForEvents(count: 1)
            let started = Self.threads(startedSince: before)
            // Two pooled connections per component, and the subscription's reader.
            #expect(started.count >= 5, "\(ProcessThreads.all())")

            let shutdownStart = ContinuousClock.now
            await mesh.shutdown()
            let took = ContinuousClock.now - shutdownStart
            try await eventually("run() returns once the subscription has stopped") { runEnded.load(ordering: .relaxed) }
            try await Self.expectEnded(started)
            // No wait for a timeout: the reader's is 4s (3s plus XREADGROUP's 1s block).
            #expect(took < .seconds(3))
            print("shutdown test: mesh.shutdown() took \(took) for \(started.count) threads")

            #expect(await meshError { try await mesh.saveState(store: "statestore", key: "k", value: 2) } != nil)
            #expect(await meshError { try await mesh.publish(pubsub: "pubsub", topic: "events", value: 2) } != nil)
            await mesh.shutdown()  // idempotent
        }
    }

    @Test("a component shut down on its own fails later calls with a cancelled error, at once")
    func componentShutdown() async throws {
        try await withRedis { redis in
            let pubsub = try RedisPubSub(metadata: ["redisHost": redis.address])
            try await pubsub.publish(PubSubMessage(topic: "events", data: Data("1".utf8)))
            await pubsub.shutdown()
            await pubsub.shutdown()
            let error = await meshError { try await pubsub.publish(PubSubMessage(topic: "events", data: Data("2".utf8))) }
            #expect(error?.code == .cancelled)
            let request = PubSubSubscriptionRequest(topic: "events", consumerGroup: "orders", maxConcurrency: 1)
            let subscribeError = try await within(.seconds(5), "subscribe() after shutdown") {
                await meshError { try await pubsub.subscribe(request) { _ in .ack } }
            }
            #expect(subscribeError?.code == .cancelled)
        }
    }

    @Test("a ServiceGroup's graceful shutdown ends the threads of the mesh and, once the app shuts it down, of the name registry")
    func serviceGroupShutdown() async throws {
        try await withRedis { redis in
            let before = ProcessThreads.ids(namedWithPrefix: redisThreadPrefix)
            let mesh = try await makeRedisMesh(address: redis.address)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: "events", handler: recorder.handler())
            let registry = try RedisNameRegistry(redisHost: redis.address, settings: .init(cacheTTL: .zero))
            let endpoint = Endpoint(host: "10.0.0.1", port: 3501)
            var logger = Logger(label: "meshkit.test")
            logger.logLevel = .critical
            let group = ServiceGroup(services: [mesh, registry.registration(appID: "orders", endpoint: endpoint)], logger: logger)
            let running = Task { try await group.run() }
            defer { running.cancel() }
            try await mesh.publish(pubsub: "pubsub", topic: "events", value: 1)
            _ = try await recorder.waitForEvents(count: 1)
            try await eventually("the instance is registered") { try await registry.resolve(appID: "orders") == [endpoint] }
            let started = Self.threads(startedSince: before)
            #expect(started.count >= 7, "\(ProcessThreads.all())")

            await group.triggerGracefulShutdown()
            try await within(.seconds(10), "the service group's graceful shutdown") { try await running.value }
            #expect(try await registry.resolve(appID: "orders").isEmpty, "the instance left the registry")
            await registry.shutdown()
            try await Self.expectEnded(started)
            #expect(await meshError { _ = try await registry.resolve(appID: "orders") }?.code == .cancelled)
        }
    }
}
