import Foundation

/// The exchanges, queues and bindings of one subscription, named as components-contrib's
/// `pubsub/rabbitmq` names them, so that Dapr apps and MeshKit apps share them:
///
/// - the exchange is the topic, of kind `exchangeKind`, always durable and never auto-deleted
///   (components-contrib's `ensureExchangeDeclared`);
/// - the queue is `{consumerID}-{topic}` (or the subscription's `queueName`), bound to it with
///   each of the subscription's comma-separated `routingKey`s (none: the empty key);
/// - the queue is `durable` and `deletedWhenUnused` as configured, with `maxLen` and `maxLenBytes`
///   as `x-max-length` and `x-max-length-bytes`;
/// - with `enableDeadLetter`, the queue dead-letters to the fanout exchange `dlx-{queue}`, bound
///   to the durable, lazy queue `dlq-{queue}`.
///
/// Any other flag or argument would make RabbitMQ refuse the second app's declaration
/// (`PRECONDITION_FAILED`), so these follow Dapr exactly.
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
        try Self.declareExchange(exchange, kind: settings.exchangeKind, on: connection)
        let limits = QueueArguments(maxLength: settings.maxLen, maxLengthBytes: settings.maxLenBytes)
        if let deadLetterExchange, let deadLetterQueue {
            try Self.declareExchange(deadLetterExchange, kind: "fanout", on: connection)
            var lazy = limits
            lazy.queueMode = "lazy"
            try connection.declareQueue(deadLetterQueue, durable: true, autoDelete: settings.deletedWhenUnused, arguments: lazy)
            try connection.bind(queue: deadLetterQueue, exchange: deadLetterExchange, routingKey: "")
        }
        var arguments = limits
        arguments.deadLetterExchange = deadLetterExchange
        try connection.declareQueue(queue, durable: settings.durable, autoDelete: settings.deletedWhenUnused, arguments: arguments)
        for key in routingKeys {
            try connection.bind(queue: queue, exchange: exchange, routingKey: key)
        }
    }

    /// Declares an exchange as Dapr does: durable, not auto-deleted.
    static func declareExchange(_ name: String, kind: String, on connection: AMQPConnection) throws(AMQPConnection.Failure) {
        try connection.declareExchange(name, kind: kind, durable: true, autoDelete: false)
    }
}
