import Foundation
import MeshKit
import MeshKitRabbitMQ
import MeshKitTesting
import Testing

extension RabbitMQTests {
    @Suite("bad input")
    struct BadInput {
        @Test(
            "a bad metadata value is rejected with an error naming the field and the file",
            arguments: [
                ("exchangeKind", "fanin"), ("connectionString", "http://localhost:5672"), ("host", "amqp://"),
                ("prefetchCount", "-1"), ("deliveryMode", "3"), ("concurrencyMode", "some"), ("durable", "maybe"),
                ("maxLen", "-5"), ("heartBeat", "soon"), ("reconnectWait", "-1"),
            ]
        )
        func badMetadata(field: String, value: String) async throws {
            let folder = try ResourceFolder()
            defer { folder.remove() }
            try folder.write(
                "pubsub.yaml",
                """
                apiVersion: dapr.io/v1alpha1
                kind: Component
                metadata:
                  name: order-pubsub
                spec:
                  type: pubsub.rabbitmq
                  version: v1
                  metadata:
                    - name: \(["connectionString", "host"].contains(field) ? "consumerID" : "connectionString")
                      value: amqp://rabbitmq:5672
                    - name: \(field)
                      value: "\(value)"

                """
            )
            var configuration = MeshConfiguration.testing()
            configuration.registry = .withRabbitMQ
            let error = await meshError { _ = try await Mesh(appID: "orders", resourcesPath: folder.path, configuration: configuration) }
            #expect(error?.code == .invalidMetadata)
            #expect(error?.message.contains(field) == true)
            #expect(error?.context.field == "spec.metadata.\(field)")
            #expect(error?.context.file?.hasSuffix("pubsub.yaml") == true)
        }

        @Test("a component with no connection fields asks for connectionString")
        func missingConnection() async throws {
            let error = await meshError { _ = try RabbitMQPubSub(metadata: ["durable": "true"]) }
            #expect(error?.code == .missingMetadata)
            #expect(error?.message.contains("connectionString") == true)
        }

        @Test("protocol, hostname, username and password make the connection when connectionString is absent")
        func separateFields() async throws {
            let rabbit = try broker
            let pubsub = try RabbitMQPubSub(metadata: ["hostname": "127.0.0.1:\(rabbit.port)", "username": "guest", "password": "guest"])
            try await pubsub.publish(PubSubMessage(topic: uniqueTopic("fields"), data: Data("{}".utf8)))
            await pubsub.shutdown()
        }

        @Test("a port nothing listens on fails a publish as unavailable, quickly, naming the broker without the password")
        func unreachable() async throws {
            let port = try LoopbackPort.free()
            let pubsub = try RabbitMQPubSub(metadata: ["connectionString": "amqp://user:s3cret@127.0.0.1:\(port)"])
            let start = ContinuousClock.now
            let error = await meshError { try await pubsub.publish(PubSubMessage(topic: "t", data: Data())) }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("127.0.0.1:\(port)") == true)
            #expect(error?.message.contains("s3cret") == false)
            #expect(ContinuousClock.now - start < .seconds(3))
            await pubsub.shutdown()
        }

        @Test("wrong credentials fail a publish as unavailable")
        func wrongCredentials() async throws {
            let rabbit = try broker
            let pubsub = try RabbitMQPubSub(metadata: ["connectionString": "amqp://guest:wrong@127.0.0.1:\(rabbit.port)"])
            let error = await meshError { try await pubsub.publish(PubSubMessage(topic: "t", data: Data())) }
            #expect(error?.code == .unavailable)
            await pubsub.shutdown()
        }
    }
}
