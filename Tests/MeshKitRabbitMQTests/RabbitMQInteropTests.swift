import Foundation
import MeshKit
import MeshKitRabbitMQ
import MeshKitTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension RabbitMQTests {
    @Suite("interop with a Dapr app (Python's pika)")
    struct Interop {
        @Test("a Dapr app reads MeshKit's messages from the queue it binds, as Dapr CloudEvents")
        func daprAppReadsMeshKitMessages() async throws {
            guard let python = try await PikaClient.python() else { return }
            let rabbit = try broker
            let topic = uniqueTopic("to-dapr")
            try await PikaClient.run(python, [rabbit.url, "bind", topic, "billing"])
            let mesh = try await makeRabbitMesh(appID: "orders", url: rabbit.url)
            for index in 0..<3 { try await mesh.publish(pubsub: "pubsub", topic: topic, value: ["orderId": index]) }
            let output = try await PikaClient.run(python, [rabbit.url, "get", topic, "billing", "3"])
            let messages = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
            #expect(messages.count == 3)
            for (index, message) in messages.enumerated() {
                #expect(message["contentType"] as? String == "application/cloudevents+json")
                let event = try #require(message["body"] as? [String: Any])
                #expect(event["specversion"] as? String == "1.0")
                #expect(event["type"] as? String == "com.dapr.event.sent")
                #expect(event["source"] as? String == "orders")
                #expect(event["topic"] as? String == topic)
                #expect(event["pubsubname"] as? String == "pubsub")
                #expect(event["datacontenttype"] as? String == "application/json")
                #expect((event["id"] as? String)?.isEmpty == false)
                #expect((event["data"] as? [String: Any])?["orderId"] as? Int == index)
            }
            await mesh.shutdown()
        }

        @Test("a MeshKit subscriber receives what a Dapr app publishes")
        func meshKitReceivesDaprMessages() async throws {
            guard let python = try await PikaClient.python() else { return }
            let rabbit = try broker
            let topic = uniqueTopic("from-dapr")
            let mesh = try await makeRabbitMesh(appID: "shipping", url: rabbit.url)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: topic, handler: recorder.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            try await eventually(timeout: .seconds(20), "the subscription's queue is bound") {
                try await rabbit.queues()["shipping-\(topic)"] != nil
            }
            try await PikaClient.run(python, [rabbit.url, "publish", topic, "dapr-event-1"])
            let event = try await recorder.waitForEvents(count: 1, timeout: .seconds(20))[0]
            #expect(event.id == "dapr-event-1")
            #expect(event.source == "dapr-app")
            #expect(event.traceParent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            struct Order: Decodable { var orderId: Int }
            #expect(try event.decode(Order.self).orderId == 7)
        }

        @Test("a subscriber process killed mid-delivery leaves its unacknowledged messages to the next subscriber")
        func killedSubscriberProcess() async throws {
            guard let python = try await PikaClient.python() else { return }
            let rabbit = try broker
            let topic = uniqueTopic("killed")
            // A queue that outlives its consumers: with Dapr's default deletedWhenUnused, RabbitMQ
            // deletes the queue, messages and all, when its last consumer goes.
            let mesh = try await makeRabbitMesh(appID: "workers", url: rabbit.url, metadata: ["deletedWhenUnused": "false"])
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: topic, handler: recorder.handler())
            for index in 0..<5 { try await mesh.publish(pubsub: "pubsub", topic: topic, value: index) }
            let pid = try await PikaClient.startHolding(python, [rabbit.url, "hold", topic, "workers"])
            defer { kill(pid, SIGKILL) }
            try await eventually(timeout: .seconds(30), "the first subscriber holds the 5 messages unacknowledged") {
                let line = try await rabbit.ctl("list_queues", "--no-table-headers", "name", "messages_unacknowledged")
                    .split(whereSeparator: \.isNewline).first { $0.hasPrefix("workers-\(topic)") }
                return line?.split(whereSeparator: \.isWhitespace).last == "5"
            }
            kill(pid, SIGKILL)
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            let events = try await recorder.waitForEvents(count: 5, timeout: .seconds(30))
            #expect(Set(try events.map { try $0.decode(Int.self) }) == Set(0..<5))
        }
    }
}
