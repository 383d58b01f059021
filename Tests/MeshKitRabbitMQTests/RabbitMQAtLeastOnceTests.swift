import Foundation
import MeshKit
import MeshKitRabbitMQ
import MeshKitTesting
import Synchronization
import Testing

extension RabbitMQTests {
    @Suite("at-least-once delivery")
    struct AtLeastOnce {
        @Test("a message whose handler keeps failing is requeued by RabbitMQ and delivered again until it succeeds")
        func failedMessageIsRedelivered() async throws {
            let rabbit = try broker
            let topic = uniqueTopic("flaky")
            let mesh = try await makeRabbitMesh(url: rabbit.url)
            let recorder = EventRecorder()
            // The core retries 3 times (MeshConfiguration.testing), then answers .nack: the first
            // 6 attempts fail, so the message goes back to RabbitMQ at least once.
            try await mesh.subscribe(
                pubsub: "pubsub",
                topic: topic,
                handler: recorder.handler { _, number in number <= 6 ? .retry : .success }
            )
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            try await mesh.publish(pubsub: "pubsub", topic: topic, value: 5)
            let events = try await recorder.waitForEvents(count: 7, timeout: .seconds(20))
            #expect(Set(events.map(\.id)).count == 1)
            try await eventually(timeout: .seconds(20), "the queue is empty") {
                try await rabbit.ctl("list_queues", "--no-table-headers", "name", "messages")
                    .split(whereSeparator: \.isNewline).first { $0.hasPrefix("orders-\(topic)") }?
                    .split(whereSeparator: \.isWhitespace).last == "0"
            }
        }

        @Test("enableDeadLetter moves a message the app gave up on to dlq-{queue}, as Dapr does")
        func daprDeadLetterQueue() async throws {
            let rabbit = try broker
            let topic = uniqueTopic("poison")
            let mesh = try await makeRabbitMesh(url: rabbit.url, metadata: ["enableDeadLetter": "true"])
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: topic, handler: recorder.handler { _, _ in .retry })
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            try await mesh.publish(pubsub: "pubsub", topic: topic, value: 13)
            try await eventually(timeout: .seconds(20), "the message is in dlq-orders-\(topic)") {
                try await rabbit.queues()["dlq-orders-\(topic)"] == 1
            }
            let exchanges = try await rabbit.ctl("list_exchanges", "--no-table-headers", "name", "type", "durable")
            #expect(
                exchanges.split(whereSeparator: \.isNewline).contains {
                    $0.split(whereSeparator: \.isWhitespace) == ["dlx-orders-\(topic)", "fanout", "true"]
                }
            )
            #expect(recorder.events.count == 4)
        }

        @Test("the core's deadLetterTopic works as for every broker, and the original is acknowledged")
        func coreDeadLetterTopic() async throws {
            let rabbit = try broker
            let (topic, dead) = (uniqueTopic("work"), uniqueTopic("dead"))
            let mesh = try await makeRabbitMesh(url: rabbit.url)
            let (failing, deadLetters) = (EventRecorder(), EventRecorder())
            try await mesh.subscribe(
                pubsub: "pubsub",
                topic: topic,
                options: SubscriptionOptions(deadLetterTopic: dead),
                handler: failing.handler { _, _ in .retry }
            )
            try await mesh.subscribe(pubsub: "pubsub", topic: dead, handler: deadLetters.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            try await mesh.publish(pubsub: "pubsub", topic: topic, value: 99)
            #expect(try await deadLetters.waitForEvents(count: 1, timeout: .seconds(20))[0].decode(Int.self) == 99)
            try await eventually(timeout: .seconds(20), "the original is acknowledged") {
                try await rabbit.queues()["orders-\(topic)"] == 0
            }
        }

        @Test("concurrencyMode single runs one handler at a time; a message is never handled twice at once")
        func singleConcurrency() async throws {
            let rabbit = try broker
            let topic = uniqueTopic("single")
            let mesh = try await makeRabbitMesh(url: rabbit.url, metadata: ["concurrencyMode": "single", "prefetchCount": "5"])
            let running = Mutex((now: 0, most: 0))
            let recorder = EventRecorder()
            try await mesh.subscribe(
                pubsub: "pubsub",
                topic: topic,
                handler: recorder.handler { _, _ in
                    running.withLock {
                        $0.now += 1; $0.most = max($0.most, $0.now)
                    }
                    try await Task.sleep(for: .milliseconds(5))
                    running.withLock { $0.now -= 1 }
                    return .success
                }
            )
            let task = Task { try await mesh.run() }
            defer { task.cancel() }
            for index in 0..<20 { try await mesh.publish(pubsub: "pubsub", topic: topic, value: index) }
            let events = try await recorder.waitForEvents(count: 20, timeout: .seconds(20))
            #expect(Set(events.map(\.id)).count == 20)
            #expect(running.withLock { $0.most } == 1)
        }

        @Test("with publisherConfirm and deliveryMode 2 a publish returns once the broker has the message")
        func publisherConfirms() async throws {
            let rabbit = try broker
            let topic = uniqueTopic("confirmed")
            let mesh = try await makeRabbitMesh(
                url: rabbit.url,
                metadata: ["publisherConfirm": "true", "deliveryMode": "2", "durable": "true", "deletedWhenUnused": "false"]
            )
            try await mesh.subscribe(pubsub: "pubsub", topic: topic, handler: EventRecorder().handler())
            // Declares the queue without consuming: the mesh is not running.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 { group.addTask { try await mesh.publish(pubsub: "pubsub", topic: topic, value: index) } }
                try await group.waitForAll()
            }
            #expect(try await rabbit.queues()["orders-\(topic)"] == 50)
            await mesh.shutdown()
        }
    }
}
