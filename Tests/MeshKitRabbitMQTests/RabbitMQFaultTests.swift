import Foundation
import MeshKit
import MeshKitRabbitMQ
import MeshKitTesting
import Synchronization
import Testing

/// Faults that take the broker down or cut connections: a broker of their own, so that the other
/// tests never see them.
@Suite("pubsub.rabbitmq under faults", .rabbitMQBroker, .serialized)
struct RabbitMQFaultTests {
    /// Durable exchange and queue, persistent messages, publisher confirms, quick reconnects.
    static let durable = [
        "durable": "true", "deletedWhenUnused": "false", "deliveryMode": "2", "publisherConfirm": "true", "reconnectWait": "200ms",
        "heartBeat": "2s",
    ]

    @Test("a broker restart during a publish loop loses no confirmed message, and the subscription resumes by itself")
    func brokerRestart() async throws {
        let rabbit = try broker
        let topic = uniqueTopic("restart")
        let mesh = try await makeRabbitMesh(url: rabbit.url, metadata: Self.durable)
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: topic, handler: recorder.handler())
        let running = Task { try await mesh.run() }
        defer { running.cancel() }
        let confirmed = Mutex<Set<Int>>([])
        let failed = Atomic<Int>(0)
        let publishing = Task {
            var index = 0
            while !Task.isCancelled && confirmed.withLock({ $0.count }) < 150 {
                index += 1
                do {
                    try await mesh.publish(pubsub: "pubsub", topic: topic, value: index)
                    confirmed.withLock { _ = $0.insert(index) }
                } catch {
                    failed.add(1, ordering: .relaxed)
                    try? await Task.sleep(for: .milliseconds(50))
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        defer { publishing.cancel() }
        try await eventually(timeout: .seconds(20), "50 messages are confirmed") { confirmed.withLock { $0.count } >= 50 }
        await rabbit.kill()
        try await rabbit.restart()
        try await within(.seconds(60), "the publish loop") { await publishing.value }
        #expect(failed.load(ordering: .relaxed) > 0, "publishes fail while the broker is down")
        let sent = confirmed.withLock { $0 }
        try await eventually(timeout: .seconds(40), "every confirmed message is delivered") {
            sent.isSubset(of: Set(recorder.events.compactMap { try? $0.decode(Int.self) }))
        }
    }

    @Test("a subscriber whose connection dies mid-delivery gets nothing twice; the next subscriber gets its unacknowledged messages")
    func deadSubscriberMessagesGoToTheNext() async throws {
        let rabbit = try broker
        let topic = uniqueTopic("handover")
        let network = InProcessNetwork()
        let metadata = ["consumerID": "workers", "prefetchCount": "5", "reconnectWait": "100ms", "deletedWhenUnused": "false"]
        let stuck = try await makeRabbitMesh(appID: "worker-a", url: rabbit.url, metadata: metadata, network: network)
        let release = AsyncStream<Void>.makeStream()
        let stuckRecorder = EventRecorder()
        try await stuck.subscribe(
            pubsub: "pubsub",
            topic: topic,
            handler: stuckRecorder.handler { _, _ in
                for await _ in release.stream {}
                return .success
            }
        )
        let stuckRun = Task { try await stuck.run() }
        defer { stuckRun.cancel() }
        for index in 0..<5 { try await stuck.publish(pubsub: "pubsub", topic: topic, value: index) }
        _ = try await stuckRecorder.waitForEvents(count: 5, timeout: .seconds(20))
        // What the broker sees when a subscriber's process dies: its connection goes, unacknowledged.
        try await rabbit.ctl("close_all_connections", "subscriber died")
        let next = try await makeRabbitMesh(appID: "worker-b", url: rabbit.url, metadata: metadata, network: network)
        let nextRecorder = EventRecorder()
        try await next.subscribe(pubsub: "pubsub", topic: topic, handler: nextRecorder.handler())
        let nextRun = Task { try await next.run() }
        defer { nextRun.cancel() }
        let redelivered = try await nextRecorder.waitForEvents(count: 5, timeout: .seconds(20))
        #expect(Set(redelivered.map(\.id)) == Set(stuckRecorder.events.map(\.id)))
        // The first subscriber reconnects only once its handlers are done, so it never runs a
        // second copy of a message it is still handling.
        try await Task.sleep(for: .milliseconds(500))
        #expect(stuckRecorder.events.count == 5)
        release.continuation.finish()
    }
}
