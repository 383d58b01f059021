import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@Suite("pubsub.redis")
struct RedisPubSubTests {
    /// Fast redelivery for tests.
    static let fastRedelivery = ["processingTimeout": "300ms", "redeliverInterval": "50ms"]

    @Test("publishes with XADD of the field data and delivers through a consumer group")
    func publishAndDeliver() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: "orders", handler: recorder.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            for index in 0..<20 { try await mesh.publish(pubsub: "pubsub", topic: "orders", value: index) }
            let events = try await recorder.waitForEvents(count: 20)
            #expect(Set(try events.map { try $0.decode(Int.self) }) == Set(0..<20))
            let fields = try await redis.cli("XRANGE", "orders", "-", "+", "COUNT", "1").split(separator: "\n")
            #expect(fields.count >= 3 && fields[1] == "data")
            let envelope = try JSONSerialization.jsonObject(with: Data(fields[2].utf8)) as? [String: Any]
            #expect(envelope?["specversion"] as? String == "1.0")
            try await eventually("every message is acknowledged") {
                try await redis.cli("XPENDING", "orders", "orders").split(separator: "\n").first == "0"
            }
        }
    }

    @Test("each app gets every message; maxLenApprox caps the stream")
    func groupsAndTrimming() async throws {
        try await withRedis { redis in
            let network = InProcessNetwork()
            let orders = try await makeRedisMesh(appID: "orders", address: redis.address, pubsub: ["maxLenApprox": "100"], network: network)
            let billing = try await makeRedisMesh(appID: "billing", address: redis.address, network: network)
            let (ordersRecorder, billingRecorder) = (EventRecorder(), EventRecorder())
            try await orders.subscribe(pubsub: "pubsub", topic: "t", handler: ordersRecorder.handler())
            try await billing.subscribe(pubsub: "pubsub", topic: "t", handler: billingRecorder.handler())
            let tasks = [Task { try await orders.run() }, Task { try await billing.run() }]
            defer { for task in tasks { task.cancel() } }
            for index in 0..<10 { try await orders.publish(pubsub: "pubsub", topic: "t", value: index) }
            #expect(try await ordersRecorder.waitForEvents(count: 10).count == 10)
            #expect(try await billingRecorder.waitForEvents(count: 10).count == 10)
            let entries = (0..<1000).map { try! BulkPublishEntry(entryID: "\($0)", value: $0) }
            #expect(try await orders.bulkPublish(pubsub: "pubsub", topic: "capped", entries: entries).failedEntries.isEmpty)
            let length = try #require(Int(try await redis.cli("XLEN", "capped")))
            #expect(length < 400)
        }
    }

    @Test("reclaims what a crashed consumer left pending, after processingTimeout")
    func reclaimsFromCrashedConsumer() async throws {
        try await withRedis { redis in
            let event = #"{"specversion":"1.0","id":"lost-1","source":"x","type":"t","datacontenttype":"application/json","data":7}"#
            try await redis.cli("XGROUP", "CREATE", "jobs", "orders", "0", "MKSTREAM")
            try await redis.cli("XADD", "jobs", "*", "data", event)
            try await redis.cli("XREADGROUP", "GROUP", "orders", "crashed-consumer", "COUNT", "1", "STREAMS", "jobs", ">")
            let mesh = try await makeRedisMesh(address: redis.address, pubsub: Self.fastRedelivery)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: "jobs", handler: recorder.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            let events = try await recorder.waitForEvents(count: 1)
            #expect(events.first?.id == "lost-1")
            try await eventually("the reclaimed message is acknowledged") {
                try await redis.cli("XPENDING", "jobs", "orders").split(separator: "\n").first == "0"
            }
        }
    }

    @Test("a message queued or running in this process is never redelivered while its first delivery runs")
    func noDuplicateConcurrentDelivery() async throws {
        try await withRedis { redis in
            // Handlers run one at a time and take longer than processingTimeout, so the messages
            // queued behind them sit past it too.
            let mesh = try await makeRedisMesh(address: redis.address, pubsub: ["processingTimeout": "100ms", "redeliverInterval": "20ms"])
            let recorder = EventRecorder()
            try await mesh.subscribe(
                pubsub: "pubsub",
                topic: "slow",
                options: SubscriptionOptions(maxConcurrentDeliveries: 1),
                handler: recorder.handler { _, _ in
                    try await Task.sleep(for: .milliseconds(200))
                    return .success
                }
            )
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            for index in 0..<4 { try await mesh.publish(pubsub: "pubsub", topic: "slow", value: index) }
            _ = try await recorder.waitForEvents(count: 4)
            try await eventually("every message is acknowledged") {
                try await redis.cli("XPENDING", "slow", "orders").split(separator: "\n").first == "0"
            }
            try await Task.sleep(for: .milliseconds(150))
            #expect(recorder.events.count == 4)
            #expect(Set(recorder.events.map(\.id)).count == 4)
        }
    }

    @Test("runs at most min(maxConcurrentDeliveries, concurrency) handlers at once")
    func concurrencyLimit() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address, pubsub: ["concurrency": "3"])
            let gauge = Mutex((current: 0, peak: 0))
            let recorder = EventRecorder()
            try await mesh.subscribe(
                pubsub: "pubsub",
                topic: "work",
                options: SubscriptionOptions(maxConcurrentDeliveries: 10),
                handler: recorder.handler { _, _ in
                    gauge.withLock {
                        $0.current += 1; $0.peak = max($0.peak, $0.current)
                    }
                    try await Task.sleep(for: .milliseconds(30))
                    gauge.withLock { $0.current -= 1 }
                    return .success
                }
            )
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            for index in 0..<30 { try await mesh.publish(pubsub: "pubsub", topic: "work", value: index) }
            _ = try await recorder.waitForEvents(count: 30)
            let peak = gauge.withLock { $0.peak }
            #expect(peak == 3)
        }
    }

    @Test("graceful shutdown lets running handlers finish and leaves the rest pending")
    func gracefulShutdown() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
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
            for index in 0..<6 { try await mesh.publish(pubsub: "pubsub", topic: "work", value: index) }
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await mesh.run() }
                    _ = try await started.waitForEvents(count: 2)
                    trigger.triggerGracefulShutdown()
                    release.continuation.yield()
                    release.continuation.yield()
                    release.continuation.finish()
                    try await group.next()
                }
            }
            #expect(finished.withLock { $0 } == 2)
            #expect(started.events.count == 2)
            // The two that ran are acknowledged; the four read but not started stay pending.
            #expect(try await redis.cli("XPENDING", "work", "orders").split(separator: "\n").first == "4")
            #expect(try await redis.cli("XLEN", "work") == "6")

            // Another instance reclaims them once processingTimeout has passed.
            let next = try await makeRedisMesh(address: redis.address, pubsub: Self.fastRedelivery)
            let recorder = EventRecorder()
            try await next.subscribe(pubsub: "pubsub", topic: "work", handler: recorder.handler())
            let running = Task { try await next.run() }
            defer { running.cancel() }
            #expect(try await recorder.waitForEvents(count: 4).count == 4)
        }
    }
}
