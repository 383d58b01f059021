import Foundation
import Logging
import MeshKit
import ServiceLifecycle
import Synchronization

/// One running subscription: it takes the consumer's deliveries, runs at most `concurrency`
/// handlers at once, and settles each delivery with the handler's answer.
///
/// `.ack` is `basic.ack`. `.nack` (the app failed the message and the core's policy gave up
/// without a `deadLetterTopic`, or the mesh is shutting down) is `basic.nack`: requeued, so that
/// RabbitMQ delivers it again, unless `enableDeadLetter` is set and `requeueInFailure` is not, in
/// which case RabbitMQ moves it to `dlq-{queue}`, as Dapr does.
final class RabbitMQSubscription: Sendable {
    let consumer: RabbitMQConsumer
    private let settings: RabbitMQSettings
    private let topic: String
    private let concurrency: Int
    private let handler: @Sendable (PubSubMessage) async -> DeliveryAcknowledgement
    private let stopped = Atomic<Bool>(false)

    init(
        consumer: RabbitMQConsumer,
        settings: RabbitMQSettings,
        topic: String,
        concurrency: Int,
        handler: @escaping @Sendable (PubSubMessage) async -> DeliveryAcknowledgement
    ) {
        self.consumer = consumer
        self.settings = settings
        self.topic = topic
        self.concurrency = concurrency
        self.handler = handler
    }

    /// Stops taking deliveries; running handlers finish.
    func stop() {
        stopped.store(true, ordering: .releasing)
        consumer.stopDelivering()
    }

    /// Runs until stopped, cancelled or a graceful shutdown begins, then waits for the running
    /// handlers, sends their acknowledgements and closes the consumer.
    func run() async {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withTaskGroup(of: Void.self) { handlers in
                    var running = 0
                    for await delivery in consumer.deliveries {
                        guard !stopped.load(ordering: .acquiring) else { break }
                        guard consumer.isCurrent(delivery) else {
                            consumer.settle(delivery, .none)
                            continue
                        }
                        while running >= concurrency {
                            await handlers.next()
                            running -= 1
                        }
                        running += 1
                        handlers.addTask { await self.process(delivery) }
                    }
                }
            } onCancel: {
                stop()
            }
        } onGracefulShutdown: {
            self.stop()
        }
        consumer.close()
        await consumer.waitUntilEnded()
    }

    private func process(_ delivery: RabbitMQDelivery) async {
        let message = PubSubMessage(topic: topic, data: delivery.body, contentType: delivery.contentType)
        switch await handler(message) {
        case .ack:
            consumer.settle(delivery, .ack)
        case .nack:
            consumer.settle(delivery, .nack(requeue: settings.requeueInFailure || !settings.enableDeadLetter))
        }
    }
}
