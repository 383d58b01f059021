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
    /// Istio `VirtualService` resources; they have no `scopes` and apply to every app.
    public var virtualServices: [VirtualServiceResource]
    /// Istio `DestinationRule` resources; they have no `scopes` and apply to every app.
    public var destinationRules: [DestinationRuleResource]
    /// The mesh settings of Istio `IstioOperator` resources; they apply to every app.
    public var meshConfigs: [MeshConfigResource]
    /// Istio `AuthorizationPolicy` resources; they apply by namespace and selector (see ``Authorizer``).
    public var authorizationPolicies: [AuthorizationPolicyResource]
    /// Istio `PeerAuthentication` resources; they apply by namespace and selector (see ``PeerAuthenticationPolicies``).
    public var peerAuthentications: [PeerAuthenticationResource]

    /// Creates a resource set.
    public init(
        components: [ComponentResource] = [],
        resiliencies: [ResiliencyResource] = [],
        subscriptions: [SubscriptionResource] = [],
        configurations: [ConfigurationResource] = [],
        virtualServices: [VirtualServiceResource] = [],
        destinationRules: [DestinationRuleResource] = [],
        meshConfigs: [MeshConfigResource] = [],
        authorizationPolicies: [AuthorizationPolicyResource] = [],
        peerAuthentications: [PeerAuthenticationResource] = []
    ) {
        self.components = components
        self.resiliencies = resiliencies
        self.subscriptions = subscriptions
        self.configurations = configurations
        self.virtualServices = virtualServices
        self.destinationRules = destinationRules
        self.meshConfigs = meshConfigs
        self.authorizationPolicies = authorizationPolicies
        self.peerAuthentications = peerAuthentications
    }

    /// Whether the set holds no resource of any kind.
    public var isEmpty: Bool {
        components.isEmpty && resiliencies.isEmpty && subscriptions.isEmpty && configurations.isEmpty
            && virtualServices.isEmpty && destinationRules.isEmpty && meshConfigs.isEmpty
            && authorizationPolicies.isEmpty && peerAuthentications.isEmpty
    }

    /// Adds every resource of `other`.
    public mutating func merge(_ other: ResourceSet) {
        components += other.components
        resiliencies += other.resiliencies
        subscriptions += other.subscriptions
        configurations += other.configurations
        virtualServices += other.virtualServices
        destinationRules += other.destinationRules
        meshConfigs += other.meshConfigs
        authorizationPolicies += other.authorizationPolicies
        peerAuthentications += other.peerAuthentications
    }

    /// The resources that apply to `appID`: the Dapr resources whose `scopes` include it, and
    /// every Istio resource, since Istio resources have no `scopes`.
    public func scoped(to appID: String) -> ResourceSet {
        ResourceSet(
            components: components.filter { $0.header.applies(to: appID) },
            resiliencies: resiliencies.filter { $0.header.applies(to: appID) },
            subscriptions: subscriptions.filter { $0.header.applies(to: appID) },
            configurations: configurations.filter { $0.header.applies(to: appID) },
            virtualServices: virtualServices,
            destinationRules: destinationRules,
            meshConfigs: meshConfigs,
            authorizationPolicies: authorizationPolicies,
            peerAuthentications: peerAuthentications
        )
    }
}
