import Tracing

/// The names and attributes of pub/sub spans, by OpenTelemetry's messaging conventions:
/// `publish <topic>` (a producer span, `messaging.operation.type` `send`) and `process <topic>`
/// (a consumer span, `process`), with `messaging.system` `dapr`, the topic as
/// `messaging.destination.name`, and the pub/sub component's name as `meshkit.pubsub.name`.
enum MessagingSpan {
    /// The publish span's name.
    static func publishName(_ topic: String) -> String { "publish \(topic)" }

    /// The process span's name.
    static func processName(_ topic: String) -> String { "process \(topic)" }

    /// The attributes of a publish; `count` is the batch size of a bulk publish.
    static func setPublishAttributes(pubsub: String, topic: String, count: Int?, on span: any Span) {
        setCommonAttributes(pubsub: pubsub, topic: topic, on: span)
        span.attributes["messaging.operation.name"] = "publish"
        span.attributes["messaging.operation.type"] = "send"
        if let count { span.attributes["messaging.batch.message_count"] = count }
    }

    /// The attributes of a delivery to a subscriber.
    static func setProcessAttributes(pubsub: String, topic: String, messageID: String, consumerGroup: String, on span: any Span) {
        setCommonAttributes(pubsub: pubsub, topic: topic, on: span)
        span.attributes["messaging.operation.name"] = "process"
        span.attributes["messaging.operation.type"] = "process"
        span.attributes["messaging.message.id"] = messageID
        span.attributes["messaging.consumer.group.name"] = consumerGroup
    }

    private static func setCommonAttributes(pubsub: String, topic: String, on span: any Span) {
        span.attributes["messaging.system"] = "dapr"
        span.attributes["messaging.destination.name"] = topic
        span.attributes["meshkit.pubsub.name"] = pubsub
    }
}
