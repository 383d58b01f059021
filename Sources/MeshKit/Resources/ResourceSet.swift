/// The resources a mesh runs with: what a resources folder holds, or what code builds.
public struct ResourceSet: Sendable {
    /// `Component` resources.
    public var components: [ComponentResource]
    /// `Resiliency` resources.
    public var resiliencies: [ResiliencyResource]
    /// `Subscription` resources.
    public var subscriptions: [SubscriptionResource]
    /// `Configuration` resources.
    public var configurations: [ConfigurationResource]

    /// Creates a resource set.
    public init(
        components: [ComponentResource] = [],
        resiliencies: [ResiliencyResource] = [],
        subscriptions: [SubscriptionResource] = [],
        configurations: [ConfigurationResource] = []
    ) {
        self.components = components
        self.resiliencies = resiliencies
        self.subscriptions = subscriptions
        self.configurations = configurations
    }

    /// Whether the set holds no resource of any kind.
    public var isEmpty: Bool {
        components.isEmpty && resiliencies.isEmpty && subscriptions.isEmpty && configurations.isEmpty
    }

    /// Adds every resource of `other`.
    public mutating func merge(_ other: ResourceSet) {
        components += other.components
        resiliencies += other.resiliencies
        subscriptions += other.subscriptions
        configurations += other.configurations
    }

    /// The resources whose `scopes` include `appID`.
    public func scoped(to appID: String) -> ResourceSet {
        ResourceSet(
            components: components.filter { $0.header.applies(to: appID) },
            resiliencies: resiliencies.filter { $0.header.applies(to: appID) },
            subscriptions: subscriptions.filter { $0.header.applies(to: appID) },
            configurations: configurations.filter { $0.header.applies(to: appID) }
        )
    }
}
