public import Foundation

/// A pub/sub component: it carries messages, and MeshKit's core does the rest (CloudEvents,
/// routing, retries, dead letters, tracing), so every broker behaves the same.
public protocol PubSub: Shutdownable {
    /// Publishes one message.
    func publish(_ message: PubSubMessage) async throws
    /// Declares that a consumer group will consume a topic, before ``subscribe(_:handler:)`` runs:
    /// from then on the component keeps the topic's messages for that group (Redis creates the
    /// consumer group). The mesh calls it when the app declares the subscription, so that nothing
    /// published before `run()` is lost. The default does nothing.
    func prepare(_ request: PubSubSubscriptionRequest) async throws
    /// Publishes several messages to one topic; returns the entries that failed, by index.
    func bulkPublish(_ messages: [PubSubMessage]) async -> [Int: any Error]
    /// Consumes a topic until the task is cancelled or a graceful shutdown begins (see
    /// swift-service-lifecycle), running at most `request.maxConcurrency` handlers at once.
    ///
    /// On graceful shutdown the component stops taking messages, lets running handlers finish,
    /// and leaves what it has not acknowledged pending for redelivery.
    func subscribe(
        _ request: PubSubSubscriptionRequest,
        handler: @escaping @Sendable (PubSubMessage) async -> DeliveryAcknowledgement
    ) async throws
}

extension PubSub {
    public func prepare(_ request: PubSubSubscriptionRequest) async throws {}

    public func bulkPublish(_ messages: [PubSubMessage]) async -> [Int: any Error] {
        var failures: [Int: any Error] = [:]
        for (index, message) in messages.enumerated() {
            do {
                try await publish(message)
            } catch {
                failures[index] = error
            }
        }
        return failures
    }
}

/// A message as a broker carries it: the CloudEvent JSON (or the raw payload) and its metadata.
public struct PubSubMessage: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The bytes on the wire.
    public var data: Data
    /// The content type of ``data``: `application/cloudevents+json` for an envelope.
    public var contentType: String?
    /// Metadata for the component, such as `rawPayload` or `ttlInSeconds`.
    public var metadata: [String: String]

    /// Creates a message.
    public init(topic: String, data: Data, contentType: String? = nil, metadata: [String: String] = [:]) {
        self.topic = topic
        self.data = data
        self.contentType = contentType
        self.metadata = metadata
    }
}

/// What a mesh asks of a component when it subscribes.
public struct PubSubSubscriptionRequest: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The consumer group: every app ID gets each message once (Dapr's `consumerID`, the app ID
    /// by default).
    public var consumerGroup: String
    /// The most handlers running at once for this subscription.
    public var maxConcurrency: Int
    /// The subscription's metadata.
    public var metadata: [String: String]

    /// Creates a request.
    public init(topic: String, consumerGroup: String, maxConcurrency: Int, metadata: [String: String] = [:]) {
        self.topic = topic
        self.consumerGroup = consumerGroup
        self.maxConcurrency = maxConcurrency
        self.metadata = metadata
    }
}

/// What a component does with a message after the mesh has handled it.
public enum DeliveryAcknowledgement: Sendable, Hashable {
    /// Done with: remove it.
    case ack
    /// Not done with: keep it pending for redelivery (for example during shutdown).
    case nack
}
