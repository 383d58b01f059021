import Foundation
public import Logging
public import MeshKit

/// `pubsub.rabbitmq`: RabbitMQ through librabbitmq, in the layout Dapr uses, so that Dapr apps and
/// MeshKit apps share exchanges and queues.
///
/// A publish declares the topic's exchange (`exchangeKind`, fanout by default) and sends the
/// message body (the CloudEvent JSON the core builds) to it, with the message metadata's
/// `routingKey`, `ttlInSeconds` (the AMQP `expiration`; the component's `ttlInSeconds` by
/// default, as in Dapr) and `priority`; with `publisherConfirm` it
/// returns once the broker has confirmed it. A subscription consumes the queue
/// `{consumerID}-{topic}` (``RabbitMQTopology``) on a connection and thread of its own,
/// acknowledging each message only after the mesh has handled it (at least once), and reconnects
/// after `reconnectWait` when the connection breaks. Nothing connects until the first call.
///
/// A message the app fails (the core's policy gave up, with no `deadLetterTopic`) is requeued
/// with `basic.nack`, so RabbitMQ delivers it again; Dapr instead discards it unless
/// `requeueInFailure` is set. With `enableDeadLetter` (and not `requeueInFailure`) it goes to
/// `dlq-{queue}`, as in Dapr.
///
/// ``shutdown()`` stops the running subscriptions (their handlers in flight finish and are
/// acknowledged; what they did not take is requeued by RabbitMQ) and closes every connection.
public final class RabbitMQPubSub: PubSub {
    /// The Dapr component type.
    public static let componentType = "pubsub.rabbitmq"

    private let settings: RabbitMQSettings
    private let logger: Logger
    private let publisher: RabbitMQPublisher
    private let subscriptions = RabbitMQActiveSubscriptions()

    /// Creates the component from its context; a bad metadata value throws an error naming the
    /// field and the file.
    public convenience init(context: ComponentContext) throws {
        let settings = try RabbitMQSettings(metadata: context.metadata)
        let unknown = context.metadata.names.filter { !RabbitMQSettings.metadataNames.contains($0) }
        if !unknown.isEmpty {
            context.logger.warning(
                "pubsub.rabbitmq ignores these metadata fields",
                metadata: ["fields": "\(unknown.joined(separator: ", "))"]
            )
        }
        self.init(settings: settings, logger: context.logger)
    }

    /// Creates the component outside a mesh, from Dapr metadata such as
    /// `["connectionString": "amqp://localhost:5672"]`.
    public convenience init(metadata: [String: String], name: String = "pubsub", logger: Logger = Logger(label: "meshkit.rabbitmq")) throws
    {
        self.init(settings: try RabbitMQSettings(metadata: ComponentMetadata(metadata, componentName: name)), logger: logger)
    }

    init(settings: RabbitMQSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.publisher = RabbitMQPublisher(settings: settings, logger: logger)
    }

    /// Stops the running subscriptions, closes every connection and returns once their threads
    /// have ended. Later calls fail with ``MeshError/Code/cancelled``.
    public func shutdown() async {
        await subscriptions.stopAll()
        await publisher.close()
    }

    public func publish(_ message: PubSubMessage) async throws {
        let metadata = Dictionary(message.metadata.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
        var properties = PublishProperties(contentType: message.contentType, deliveryMode: settings.deliveryMode)
        if let ttl = metadata["ttlinseconds"], !ttl.isEmpty {
            guard let seconds = Int(ttl), seconds >= 0, case let (milliseconds, false) = seconds.multipliedReportingOverflow(by: 1000)
            else { throw Self.badMetadata("ttlInSeconds", ttl, topic: message.topic) }
            properties.expiration = String(milliseconds)
        } else if let ttl = settings.defaultMessageTTL {
            properties.expiration = String(ttl.wholeMilliseconds)
        }
        if let priority = metadata["priority"], !priority.isEmpty {
            guard let value = Int(priority), (0...255).contains(value) else {
                throw Self.badMetadata("priority", priority, topic: message.topic)
            }
            properties.priority = value
        }
        try await publisher.perform(
            .publish(exchange: message.topic, routingKey: metadata["routingkey"] ?? "", body: message.data, properties: properties)
        )
    }

    /// Declares the subscription's exchange and queue, so that what is published before
    /// ``subscribe(_:handler:)`` runs waits in the queue.
    public func prepare(_ request: PubSubSubscriptionRequest) async throws {
        try await publisher.perform(.declare(topology(for: request)))
    }

    public func subscribe(
        _ request: PubSubSubscriptionRequest,
        handler: @escaping @Sendable (PubSubMessage) async -> DeliveryAcknowledgement
    ) async throws {
        var logger = logger
        logger[metadataKey: "topic"] = "\(request.topic)"
        guard let consumer = RabbitMQConsumer(settings: settings, topology: topology(for: request), logger: logger) else {
            throw RabbitMQFailure.unreachable(settings.endpoint, reason: "no file descriptor is left for the consumer's thread")
        }
        let concurrency = settings.concurrencyMode == .single ? 1 : max(request.maxConcurrency, 1)
        let subscription = RabbitMQSubscription(
            consumer: consumer,
            settings: settings,
            topic: request.topic,
            concurrency: concurrency,
            handler: handler
        )
        guard subscriptions.add(subscription) else {
            consumer.close()
            await consumer.waitUntilEnded()
            throw RabbitMQFailure.closed(settings.endpoint)
        }
        defer { subscriptions.remove(subscription) }
        await subscription.run()
    }

    private func topology(for request: PubSubSubscriptionRequest) -> RabbitMQTopology {
        RabbitMQTopology(
            topic: request.topic,
            consumerID: settings.consumerID ?? request.consumerGroup,
            subscriptionMetadata: request.metadata,
            settings: settings
        )
    }

    private static func badMetadata(_ name: String, _ value: String, topic: String) -> MeshError {
        MeshError(
            .pubsubPublish,
            "the message metadata '\(name)' must be a whole number of zero or more, not '\(value)'",
            context: .init(subject: topic)
        )
    }
}
