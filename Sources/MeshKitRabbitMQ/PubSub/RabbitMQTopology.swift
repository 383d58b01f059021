import Foundation

/// The exchanges, queues and bindings of one subscription, named as components-contrib's
/// `pubsub/rabbitmq` names them, so that Dapr apps and MeshKit apps share them:
///
/// - the exchange is the topic, of kind `exchangeKind`;
/// - the queue is `{consumerID}-{topic}` (or the subscription's `queueName`), bound to it with
///   each of the subscription's comma-separated `routingKey`s (none: the empty key);
/// - with `enableDeadLetter`, the queue dead-letters to the fanout exchange `dlx-{queue}`, bound
///   to the queue `dlq-{queue}`.
struct RabbitMQTopology: Sendable, Hashable {
    var exchange: String
    var queue: String
    var routingKeys: [String]
    var deadLetterExchange: String?
    var deadLetterQueue: String?

    init(topic: String, consumerID: String, subscriptionMetadata: [String: String], settings: RabbitMQSettings) {
        exchange = topic
        let metadata = Dictionary(subscriptionMetadata.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
        queue = metadata["queuename"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(consumerID)-\(topic)"
        let keys = (metadata["routingkey"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        routingKeys = keys.isEmpty ? [""] : keys
        if settings.enableDeadLetter {
            deadLetterExchange = "dlx-\(queue)"
            deadLetterQueue = "dlq-\(queue)"
        }
    }

    /// Declares everything and binds it on `connection`; redeclaring what exists with the same
    /// settings changes nothing.
    func declare(on connection: AMQPConnection, settings: RabbitMQSettings) throws(AMQPConnection.Failure) {
        try connection.declareExchange(exchange, kind: settings.exchangeKind, durable: settings.durable, autoDelete: settings.deletedWhenUnused)
        if let deadLetterExchange, let deadLetterQueue {
            try connection.declareExchange(deadLetterExchange, kind: "fanout", durable: settings.durable, autoDelete: settings.deletedWhenUnused)
            try connection.declareQueue(deadLetterQueue, durable: settings.durable, autoDelete: settings.deletedWhenUnused, arguments: QueueArguments())
            try connection.bind(queue: deadLetterQueue, exchange: deadLetterExchange, routingKey: "")
        }
        let arguments = QueueArguments(
            deadLetterExchange: deadLetterExchange,
            maxLength: settings.maxLen,
            maxLengthBytes: settings.maxLenBytes,
            messageTTL: settings.queueTTL
        )
        try connection.declareQueue(queue, durable: settings.durable, autoDelete: settings.deletedWhenUnused, arguments: arguments)
        for key in routingKeys {
            try connection.bind(queue: queue, exchange: exchange, routingKey: key)
        }
    }
}
