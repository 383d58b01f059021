import Foundation
import MeshKit
import MeshKitTesting
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@Suite("The mesh as a swift-service-lifecycle Service")
struct LifecycleTests {
    @Test("graceful shutdown lets in-flight deliveries finish and leaves the rest pending")
    func gracefulShutdown() async throws {
        let network = InProcessNetwork()
        let mesh = try await makeMesh(network: network)
        let started = EventRecorder()
        let finished = Mutex(0)
        let release = AsyncStream<Void>.makeStream()
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "work",
            options: SubscriptionOptions(maxConcurrentDeliveries: 2),
            handler: started.handler { _, _ in
                for await _ in release.stream { break }
                finished.withLock { $0 += 1 }
                return .success
            }
        )
        for index in 0..<5 { try await mesh.publish(pubsub: "pubsub", topic: "work", value: index) }

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await mesh.run() }
                _ = try await started.waitForEvents(count: 2)
                trigger.triggerGracefulShutdown()
                // The two deliveries in flight are allowed to finish.
                release.continuation.yield()
                release.continuation.yield()
                release.continuation.finish()
                try await group.next()
            }
        }
        #expect(finished.withLock { $0 } == 2)
        #expect(started.events.count == 2)
        let broker = network.sharedInstance(key: "pubsub.in-memory/pubsub") { InMemoryPubSub() }
        #expect(broker.pendingCount(topic: "work", consumerGroup: "order-service") == 3)
    }

    @Test("the mesh runs in a ServiceGroup and stops with it")
    func serviceGroup() async throws {
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "t", handler: recorder.handler())
        let group = ServiceGroup(services: [mesh], logger: .init(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await mesh.publish(pubsub: "pubsub", topic: "t", value: 1)
            _ = try await recorder.waitForEvents(count: 1)
            await group.triggerGracefulShutdown()
            try await tasks.next()
        }
        #expect(recorder.events.count == 1)
    }

    @Test("a second live mesh with the same app ID on one network is rejected")
    func duplicateAppID() async throws {
        let network = InProcessNetwork()
        let first = try await makeMesh(appID: "same", network: network)
        await #expect { try await makeMesh(appID: "same", network: network) } throws: { isMeshError($0, .duplicateAppID) }
        _ = first
    }
}
