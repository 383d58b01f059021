import Foundation
import MeshKit
import MeshKitRabbitMQ
import MeshKitTesting
import Testing

extension RabbitMQTests {
    @Suite("publish and deliver in Dapr's layout")
    struct PubSub {
        struct Order: Codable, Hashable {
            var id: String
            var amount: Int
        }

        @Test("the seed's order-pubsub file, with only its host rewritten, carries the brief's order-created event")
        func seedOrderPubsub() async throws {
            let rabbit = try broker
            let folder = try ResourceFolder()
            defer { folder.remove() }
            let seed = try String(contentsOfFile: fixturePath("seed-order-pubsub.yaml"), encoding: .utf8)
            #expect(seed.contains("amqp://rabbitmq:5672"))
            try folder.write("seed-order-pubsub.yaml", seed.replacingOccurrences(of: "amqp://rabbitmq:5672", with: rabbit.url))
            var configuration = MeshConfiguration.testing()
            configuration.registry = .withRabbitMQ
            let mesh = try await Mesh(appID: "order-service", resourcesPath: folder.path, configuration: configuration)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "order-pubsub", topic: "order-created", handler: recorder.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            try await mesh.publish(pubsub: "order-pubsub", topic: "order-created", value: Order(id: "7", amount: 30))
            let event = try await recorder.waitForEvents(count: 1, timeout: .seconds(20))[0]
            #expect(try event.decode(Order.self) == Order(id: "7", amount: 30))
            #expect(event.topic == "order-created")
            #expect(event.pubsubName == "order-pubsub")
        }

        @Test("a subscription consumes the queue {appID}-{topic} bound to the exchange {topic}, and acknowledges what it handled")
        func daprLayout() async throws {
            let rabbit = try broker
            let topic = uniqueTopic("orders")
            let mesh = try await makeRabbitMesh(appID: "billing", url: rabbit.url)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: topic, handler: recorder.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            for index in 0..<20 { try await mesh.publish(pubsub: "pubsub", topic: topic, value: index) }
            let events = try await recorder.waitForEvents(count: 20, timeout: .seconds(20))
            #expect(Set(try events.map { try $0.decode(Int.self) }) == Set(0..<20))
            let exchanges = try await rabbit.ctl("list_exchanges", "--no-table-headers", "name", "type")
            #expect(
                exchanges.split(whereSeparator: \.isNewline).contains {
                    $0.split(whereSeparator: \.isWhitespace) == [Substring(topic), "fanout"]
                }
            )
            try await eventually(timeout: .seconds(20), "the queue billing-\(topic) exists and holds nothing unacknowledged") {
                let line = try await rabbit.ctl("list_queues", "--no-table-headers", "name", "messages")
                    .split(whereSeparator: \.isNewline).first { $0.hasPrefix("billing-\(topic)") }
                return line?.split(whereSeparator: \.isWhitespace).last == "0"
            }
        }

        @Test("each app gets every message on its own queue; consumerID overrides the app ID")
        func eachAppGetsEveryMessage() async throws {
            let rabbit = try broker
            let topic = uniqueTopic("fan")
            let network = InProcessNetwork()
            let orders = try await makeRabbitMesh(appID: "orders", url: rabbit.url, network: network)
            let billing = try await makeRabbitMesh(appID: "billing", url: rabbit.url, metadata: ["consumerID": "ledger"], network: network)
            let (ordersRecorder, billingRecorder) = (EventRecorder(), EventRecorder())
            try await orders.subscribe(pubsub: "pubsub", topic: topic, handler: ordersRecorder.handler())
            try await billing.subscribe(pubsub: "pubsub", topic: topic, handler: billingRecorder.handler())
            let tasks = [Task { try await orders.run() }, Task { try await billing.run() }]
            defer { for task in tasks { task.cancel() } }
            for index in 0..<10 { try await orders.publish(pubsub: "pubsub", topic: topic, value: index) }
            #expect(try await ordersRecorder.waitForEvents(count: 10, timeout: .seconds(20)).count == 10)
            #expect(try await billingRecorder.waitForEvents(count: 10, timeout: .seconds(20)).count == 10)
            let queues = try await rabbit.queues()
            #expect(queues["orders-\(topic)"] != nil)
            #expect(queues["ledger-\(topic)"] != nil)
        }

        @Test("what is published after subscribe() but before run() waits in the queue")
        func publishedBeforeRun() async throws {
            let rabbit = try broker
            let topic = uniqueTopic("early")
            let mesh = try await makeRabbitMesh(url: rabbit.url)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: topic, handler: recorder.handler())
            try await mesh.publish(pubsub: "pubsub", topic: topic, value: 42)
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            #expect(try await recorder.waitForEvents(count: 1, timeout: .seconds(20))[0].decode(Int.self) == 42)
        }

        @Test("a topic exchange routes by the message's routingKey to the subscription's routingKey")
        func topicExchangeRouting() async throws {
            let rabbit = try broker
            let topic = uniqueTopic("routed")
            let mesh = try await makeRabbitMesh(url: rabbit.url, metadata: ["exchangeKind": "topic"])
            let recorder = EventRecorder()
            try await mesh.subscribe(
                pubsub: "pubsub",
                topic: topic,
                options: SubscriptionOptions(metadata: ["routingKey": "eu.*"]),
                handler: recorder.handler()
            )
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            try await mesh.publish(pubsub: "pubsub", topic: topic, value: 1, metadata: ["routingKey": "us.east"])
            try await mesh.publish(pubsub: "pubsub", topic: topic, value: 2, metadata: ["routingKey": "eu.west"])
            let events = try await recorder.waitForEvents(count: 1, timeout: .seconds(20))
            #expect(try events[0].decode(Int.self) == 2)
            try await Task.sleep(for: .milliseconds(300))
            #expect(recorder.events.count == 1)
        }

        @Test("ttlInSeconds expires messages in RabbitMQ as the AMQP expiration: the message's own, else the component's, as in Dapr")
        func timeToLive() async throws {
            let rabbit = try broker
            let (perMessage, perComponent) = (uniqueTopic("ttl-message"), uniqueTopic("ttl-component"))
            let mesh = try await makeRabbitMesh(url: rabbit.url)
            let queueTTL = try await makeRabbitMesh(appID: "audit", url: rabbit.url, metadata: ["ttlInSeconds": "1"])
            // Declared, not consumed: neither mesh runs.
            try await mesh.subscribe(pubsub: "pubsub", topic: perMessage, handler: EventRecorder().handler())
            try await queueTTL.subscribe(pubsub: "pubsub", topic: perComponent, handler: EventRecorder().handler())
            try await mesh.publish(pubsub: "pubsub", topic: perMessage, value: 1, metadata: ["ttlInSeconds": "1"])
            try await mesh.publish(pubsub: "pubsub", topic: perMessage, value: 2)
            try await queueTTL.publish(pubsub: "pubsub", topic: perComponent, value: 3)
            try await eventually(timeout: .seconds(30), "RabbitMQ drops the expired messages, and only them") {
                let queues = try await rabbit.queues()
                return queues["orders-\(perMessage)"] == 1 && queues["audit-\(perComponent)"] == 0
            }
            // Dapr declares no x-message-ttl: a queue with one could not be shared with a Dapr app.
            let arguments = try await rabbit.ctl("list_queues", "--no-table-headers", "name", "arguments")
                .split(whereSeparator: \.isNewline).first { $0.hasPrefix("audit-\(perComponent)") }
            #expect(arguments?.contains("x-message-ttl") == false)
            await mesh.shutdown()
            await queueTTL.shutdown()
        }
    }
}
