// Measures pubsub.rabbitmq against bare librabbitmq loops on the same broker; see run.sh.
import Foundation
import MeshKit
import MeshKitRabbitMQ
import MeshKitTesting
import RabbitMQBaseline
import Synchronization

let environment = ProcessInfo.processInfo.environment
let host = "127.0.0.1"
let port = Int(environment["RABBITMQ_BENCH_PORT"] ?? "") ?? 5672
let url = "amqp://guest:guest@\(host):\(port)"
let count = Int(environment["RABBITMQ_BENCH_COUNT"] ?? "") ?? 5000
let publishers = 50

func mesh(appID: String, _ metadata: [String: String]) async throws -> Mesh {
    var configuration = MeshConfiguration.testing(
        resources: ResourceSet(components: [
            ComponentResource(name: "pubsub", type: "pubsub.rabbitmq", metadata: ["connectionString": url].merging(metadata) { $1 })
        ])
    )
    configuration.registry.registerRabbitMQ()
    return try await Mesh(appID: appID, configuration: configuration)
}

/// Publishes `count` small JSON values from `publishers` concurrent tasks; returns the seconds taken.
func publishConcurrently(_ mesh: Mesh, topic: String) async throws -> Double {
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for publisher in 0..<publishers {
            group.addTask {
                for index in stride(from: publisher, to: count, by: publishers) {
                    try await mesh.publish(pubsub: "pubsub", topic: topic, value: ["orderId": index, "amount": 30])
                }
            }
        }
        try await group.waitForAll()
    }
    return (ContinuousClock.now - start) / .seconds(1)
}

/// Runs `body` while `mesh` runs as a child task, which is cancelled, and awaited, when `body`
/// returns or throws.
func whileRunning<T: Sendable>(_ mesh: Mesh, _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await mesh.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}

func rss() -> Int {
    let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? "0 0"
    return (Int(statm.split(separator: " ")[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func report(_ what: String, mesh: Double, anchor: Double) {
    print(String(format: "%@: MeshKit %.0f msg/s, anchor %.0f msg/s, ratio %.2fx", what, mesh, anchor, mesh / anchor))
}

// 1. Publish with confirms: 50 concurrent publishers through the mesh vs a bare C publish+confirm loop.
let anchorPublish = rmq_baseline_publish_confirmed(host, Int32(port), "bench-c-publish", "bench-c-publish-q", Int32(count), 300)
precondition(anchorPublish > 0, "the C publisher failed (\(anchorPublish))")
let publisher = try await mesh(appID: "bench", ["publisherConfirm": "true", "deliveryMode": "2"])
// Declares the queue bench-bench-publish, so that the broker routes the messages somewhere.
try await publisher.subscribe(pubsub: "pubsub", topic: "bench-publish", handler: { _ in .success })
let meshPublish = try await publishConcurrently(publisher, topic: "bench-publish")
report(
    "publish with confirms (\(publishers) publishers, \(count) msgs)",
    mesh: Double(count) / meshPublish,
    anchor: Double(count) / anchorPublish
)
await publisher.shutdown()

// 2. Publish to handler through the mesh vs a bare C consume loop over the queue step 1 filled.
let anchorConsume = rmq_baseline_consume(host, Int32(port), "bench-c-publish-q", Int32(count))
precondition(anchorConsume > 0, "the C consumer failed (\(anchorConsume))")
let consumer = try await mesh(appID: "bench", ["prefetchCount": "100"])
let handled = Atomic<Int>(0)
let (done, finished) = AsyncStream<Void>.makeStream()
try await consumer.subscribe(
    pubsub: "pubsub",
    topic: "bench-e2e",
    handler: { _ in
        if handled.add(1, ordering: .relaxed).newValue == count { finished.finish() }
        return .success
    }
)
let endToEnd = try await whileRunning(consumer) {
    let start = ContinuousClock.now
    _ = try await publishConcurrently(consumer, topic: "bench-e2e")
    for await _ in done {}
    return (ContinuousClock.now - start) / .seconds(1)
}
report("publish -> handler (\(count) msgs)", mesh: Double(count) / endToEnd, anchor: Double(count) / anchorConsume)
await consumer.shutdown()

// 2b. The mesh's consuming side alone: a queue filled first, then drained through the handler.
let drainer = try await mesh(appID: "bench", ["prefetchCount": "100"])
let drained = Atomic<Int>(0)
let (empty, emptied) = AsyncStream<Void>.makeStream()
try await drainer.subscribe(
    pubsub: "pubsub",
    topic: "bench-drain",
    handler: { _ in
        if drained.add(1, ordering: .relaxed).newValue == count { emptied.finish() }
        return .success
    }
)
_ = try await publishConcurrently(drainer, topic: "bench-drain")
let drainSeconds = try await whileRunning(drainer) {
    let drainStart = ContinuousClock.now
    for await _ in empty {}
    return (ContinuousClock.now - drainStart) / .seconds(1)
}
report("filled queue -> handler (\(count) msgs)", mesh: Double(count) / drainSeconds, anchor: Double(count) / anchorConsume)
await drainer.shutdown()

// 3. RSS with 100 idle subscriptions.
let idle = try await mesh(appID: "idle", [:])
let before = rss()
for index in 0..<100 { try await idle.subscribe(pubsub: "pubsub", topic: "bench-idle-\(index)", handler: { _ in .success }) }
try await whileRunning(idle) {
    try await Task.sleep(for: .seconds(5))
    print(String(format: "RSS with 100 idle subscriptions: +%.1f MB", Double(rss() - before) / 1_048_576))
}
await idle.shutdown()
