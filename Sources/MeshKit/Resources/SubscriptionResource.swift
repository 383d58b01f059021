/// A declarative Dapr `Subscription` (`dapr.io/v2alpha1`, or the older `v1alpha1` with a single
/// `route`): which topic of which pub/sub component is delivered to which route.
///
/// A route is the path a handler is registered under with ``Mesh/handleTopicEvents(route:_:)``,
/// as a Dapr app serves it over HTTP.
public struct SubscriptionResource: Sendable {
    /// Name, namespace, scopes and source file.
    public var header: ResourceHeader
    /// `spec.pubsubname`.
    public var pubsubName: String
    /// `spec.topic`.
    public var topic: String
    /// `spec.routes`: the routing rules and default route.
    public var routes: SubscriptionRoutes
    /// `spec.deadLetterTopic`.
    public var deadLetterTopic: String?
    /// `spec.metadata`, such as `rawPayload: "true"`.
    public var metadata: [String: String]
    /// The most deliveries handled at once (default 10, Redis's `concurrency` default). Dapr's
    /// `Subscription` has no such field; MeshKit sets it from ``SubscriptionOptions``.
    public var maxConcurrentDeliveries: Int

    /// Creates a subscription in code.
    public init(
        name: String,
        pubsubName: String,
        topic: String,
        routes: SubscriptionRoutes,
        deadLetterTopic: String? = nil,
        metadata: [String: String] = [:],
        maxConcurrentDeliveries: Int = 10,
        scopes: [String] = []
    ) {
        self.header = ResourceHeader(name: name, scopes: scopes)
        self.pubsubName = pubsubName
        self.topic = topic
        self.routes = routes
        self.deadLetterTopic = deadLetterTopic
        self.metadata = metadata
        self.maxConcurrentDeliveries = maxConcurrentDeliveries
    }

    init(document: ResourceNode) throws(MeshError) {
        self.header = try ResourceHeader(document: document)
        let spec = try document.required("spec")
        self.pubsubName = try spec.requiredString("pubsubname")
        self.topic = try spec.requiredString("topic")
        self.deadLetterTopic = try spec.string("deadLetterTopic")
        var metadata: [String: String] = [:]
        for (key, value) in try spec.members("metadata") {
            metadata[key] = try value.string()
        }
        self.metadata = metadata
        self.maxConcurrentDeliveries = 10
        if let routes = try spec.child("routes") {
            var rules: [RoutingRule] = []
            for rule in try routes.items("rules") {
                rules.append(try RoutingRule(match: rule.requiredString("match"), route: rule.requiredString("path"), at: rule))
            }
            self.routes = SubscriptionRoutes(rules: rules, defaultRoute: try routes.string("default"))
        } else {
            self.routes = SubscriptionRoutes(rules: [], defaultRoute: try spec.string("route"))
        }
        if routes.rules.isEmpty && routes.defaultRoute == nil {
            throw document.error(.missingField, "the subscription has neither spec.routes nor spec.route")
        }
    }
}

/// Where the events of a subscription go: the first rule whose condition matches, or the default.
public struct SubscriptionRoutes: Sendable {
    /// Rules, evaluated in order.
    public var rules: [RoutingRule]
    /// The route for events no rule matches; without it such events are dropped, as in Dapr.
    public var defaultRoute: String?

    /// Creates routes.
    public init(rules: [RoutingRule] = [], defaultRoute: String?) {
        self.rules = rules
        self.defaultRoute = defaultRoute
    }

    /// The route for an event, or `nil` when nothing matches.
    func route(for event: TopicEvent) -> String? {
        for rule in rules where rule.matches(event) {
            return rule.route
        }
        return defaultRoute
    }
}

/// A routing rule: a condition over the event, in the CEL subset Dapr's documentation uses
/// (`event.type == "widget"`, `event.data.priority > 3`), and the route it selects.
public struct RoutingRule: Sendable {
    /// The condition's text.
    public let match: String
    /// The route the condition selects.
    public let route: String
    private let expression: Expression

    /// Creates a rule; throws when `match` is not a valid condition.
    public init(match: String, route: String) throws(MeshError) {
        try self.init(match: match, route: route, at: nil)
    }

    init(match: String, route: String, at node: ResourceNode?) throws(MeshError) {
        self.match = match
        self.route = route
        do {
            self.expression = try Expression(parsing: match)
        } catch {
            let message = "the routing rule '\(match)' is invalid: \(error)"
            throw node?.error(.malformedResource, message) ?? MeshError(.invalidConfiguration, message)
        }
    }

    func matches(_ event: TopicEvent) -> Bool {
        expression.matches { path in
            guard path.first == "event", path.count > 1 else { return nil }
            return event.attributeValue(at: Array(path.dropFirst()))
        }
    }
}
