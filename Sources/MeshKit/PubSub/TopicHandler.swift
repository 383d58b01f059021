/// A subscription handler: it receives an event and says what to do with the message.
public typealias TopicHandler = @Sendable (TopicEvent) async throws -> TopicEventResponse

/// Options of a programmatic subscription.
public struct SubscriptionOptions: Sendable {
    /// Routing rules evaluated before the subscription's own handler, which is the default route.
    public var rules: [RoutingRule]
    /// Where messages go after the handler drops them or the inbound retry policy gives up.
    public var deadLetterTopic: String?
    /// The most deliveries handled at once (default 10, Redis's `concurrency` default).
    public var maxConcurrentDeliveries: Int
    /// Subscription metadata, such as `rawPayload: "true"`.
    public var metadata: [String: String]

    /// Creates options.
    public init(
        rules: [RoutingRule] = [],
        deadLetterTopic: String? = nil,
        maxConcurrentDeliveries: Int = 10,
        metadata: [String: String] = [:]
    ) {
        self.rules = rules
        self.deadLetterTopic = deadLetterTopic
        self.maxConcurrentDeliveries = maxConcurrentDeliveries
        self.metadata = metadata
    }
}
