/// A Dapr `Resiliency` resource: named timeout, retry and circuit-breaker policies, and the
/// targets (apps and components) they apply to.
public struct ResiliencyResource: Sendable {
    /// Name, namespace, scopes and source file.
    public var header: ResourceHeader
    /// `spec.policies.timeouts`: named timeouts.
    public var timeouts: [String: Duration]
    /// `spec.policies.retries`: named retry policies.
    public var retries: [String: RetryPolicy]
    /// `spec.policies.circuitBreakers`: named circuit breakers.
    public var circuitBreakers: [String: CircuitBreakerPolicy]
    /// MeshKit's additions to `spec.policies`: deadlines, concurrency limits, rate limits, faults
    /// and retry budgets. Dapr ignores none of its own fields for them; they are new fields only.
    public var extensions: ResiliencyExtensions
    /// `spec.targets.apps`: policy names per app ID, for the calls made to that app.
    public var apps: [String: PolicyNames]
    /// MeshKit: `spec.targets.apps.<appID>.inbound`, policy names for the calls an app
    /// receives: `timeout`, `deadline`, `circuitBreaker`, `concurrencyLimit`, `rateLimit` and
    /// `fault`. Retries belong to callers, so `retry` and `retryBudget` are refused here.
    public var inboundApps: [String: PolicyNames]
    /// `spec.targets.components`: policy names per component, per direction.
    public var components: [String: ComponentPolicyNames]

    /// Creates a resiliency resource in code.
    public init(
        name: String,
        scopes: [String] = [],
        timeouts: [String: Duration] = [:],
        retries: [String: RetryPolicy] = [:],
        circuitBreakers: [String: CircuitBreakerPolicy] = [:],
        extensions: ResiliencyExtensions = ResiliencyExtensions(),
        apps: [String: PolicyNames] = [:],
        inboundApps: [String: PolicyNames] = [:],
        components: [String: ComponentPolicyNames] = [:]
    ) {
        self.header = ResourceHeader(name: name, scopes: scopes)
        self.timeouts = timeouts
        self.retries = retries
        self.circuitBreakers = circuitBreakers
        self.extensions = extensions
        self.apps = apps
        self.inboundApps = inboundApps
        self.components = components
    }

    init(document: ResourceNode) throws(MeshError) {
        self.header = try ResourceHeader(document: document)
        let spec = try document.required("spec")
        let policies = try spec.child("policies")
        var timeouts: [String: Duration] = [:]
        for (name, value) in try policies?.members("timeouts") ?? [] {
            timeouts[name] = try value.duration()
        }
        var retries: [String: RetryPolicy] = [:]
        for (name, value) in try policies?.members("retries") ?? [] {
            retries[name] = try RetryPolicy(node: value)
        }
        var breakers: [String: CircuitBreakerPolicy] = [:]
        for (name, value) in try policies?.members("circuitBreakers") ?? [] {
            breakers[name] = try CircuitBreakerPolicy(node: value)
        }
        self.timeouts = timeouts
        self.retries = retries
        self.circuitBreakers = breakers
        self.extensions = try ResiliencyExtensions(policies: policies)

        let targets = try spec.child("targets")
        var apps: [String: PolicyNames] = [:]
        var inboundApps: [String: PolicyNames] = [:]
        for (appID, value) in try targets?.members("apps") ?? [] {
            apps[appID] = try PolicyNames(node: value)
            if let inbound = try value.child("inbound") {
                for refused in ["retry", "retryBudget"] where try inbound.string(refused) != nil {
                    throw inbound.error(
                        .malformedResource,
                        "'\(inbound.path).\(refused)' cannot apply to the calls an app receives: retries belong to the caller's policies"
                    )
                }
                inboundApps[appID] = try PolicyNames(node: inbound)
            }
        }
        var components: [String: ComponentPolicyNames] = [:]
        for (name, value) in try targets?.members("components") ?? [] {
            components[name] = ComponentPolicyNames(
                outbound: try value.child("outbound").map { node throws(MeshError) in try PolicyNames(node: node) },
                inbound: try value.child("inbound").map { node throws(MeshError) in try PolicyNames(node: node) }
            )
        }
        self.apps = apps
        self.inboundApps = inboundApps
        self.components = components
        try validateReferences(in: targets)
    }

    /// Every policy a target names must be defined, as Dapr requires.
    private func validateReferences(in targets: ResourceNode?) throws(MeshError) {
        var named: [(PolicyNames, String)] = apps.map { ($0.value, "spec.targets.apps.\($0.key)") }
        named += inboundApps.map { ($0.value, "spec.targets.apps.\($0.key).inbound") }
        for (name, policies) in components {
            if let outbound = policies.outbound { named.append((outbound, "spec.targets.components.\(name).outbound")) }
            if let inbound = policies.inbound { named.append((inbound, "spec.targets.components.\(name).inbound")) }
        }
        for (names, field) in named {
            let missing =
                [
                    names.timeout.flatMap { timeouts[$0] == nil && GoDuration.parse($0) == nil ? "timeout '\($0)'" : nil },
                    names.retry.flatMap { retries[$0] == nil ? "retry '\($0)'" : nil },
                    names.circuitBreaker.flatMap { circuitBreakers[$0] == nil ? "circuitBreaker '\($0)'" : nil },
                    names.deadline.flatMap { timeouts[$0] == nil && GoDuration.parse($0) == nil ? "deadline '\($0)'" : nil },
                    names.concurrencyLimit.flatMap { extensions.concurrencyLimits[$0] == nil ? "concurrencyLimit '\($0)'" : nil },
                    names.rateLimit.flatMap { extensions.rateLimits[$0] == nil ? "rateLimit '\($0)'" : nil },
                    names.fault.flatMap { extensions.faults[$0] == nil ? "fault '\($0)'" : nil },
                    names.retryBudget.flatMap { extensions.retryBudgets[$0] == nil ? "retryBudget '\($0)'" : nil },
                ].compactMap { $0 }
            if let first = missing.first {
                throw MeshError(
                    .malformedResource,
                    "\(field) names the \(first), which spec.policies does not define",
                    context: .init(file: header.source?.file, line: targets?.line, field: field)
                )
            }
        }
    }
}

/// The policy names a resiliency target refers to.
public struct PolicyNames: Sendable, Hashable {
    /// A timeout policy name, or a duration written inline (Dapr allows `timeout: 5s`): the
    /// timeout of each attempt.
    public var timeout: String?
    /// A retry policy name.
    public var retry: String?
    /// A circuit-breaker policy name.
    public var circuitBreaker: String?
    /// MeshKit: the overall deadline across every retry, a timeout policy name or a duration.
    public var deadline: String?
    /// MeshKit: a concurrency-limit policy name.
    public var concurrencyLimit: String?
    /// MeshKit: a rate-limit policy name.
    public var rateLimit: String?
    /// MeshKit: a fault-injection policy name.
    public var fault: String?
    /// MeshKit: a retry-budget policy name (the default budget applies without one).
    public var retryBudget: String?

    /// Creates a set of policy names.
    public init(
        timeout: String? = nil,
        retry: String? = nil,
        circuitBreaker: String? = nil,
        deadline: String? = nil,
        concurrencyLimit: String? = nil,
        rateLimit: String? = nil,
        fault: String? = nil,
        retryBudget: String? = nil
    ) {
        self.timeout = timeout
        self.retry = retry
        self.circuitBreaker = circuitBreaker
        self.deadline = deadline
        self.concurrencyLimit = concurrencyLimit
        self.rateLimit = rateLimit
        self.fault = fault
        self.retryBudget = retryBudget
    }

    init(node: ResourceNode) throws(MeshError) {
        self.init(
            timeout: try node.string("timeout"),
            retry: try node.string("retry"),
            circuitBreaker: try node.string("circuitBreaker"),
            deadline: try node.string("deadline"),
            concurrencyLimit: try node.string("concurrencyLimit"),
            rateLimit: try node.string("rateLimit"),
            fault: try node.string("fault"),
            retryBudget: try node.string("retryBudget")
        )
    }
}

/// The policies of a component target, by direction.
public struct ComponentPolicyNames: Sendable, Hashable {
    /// For calls the app makes to the component: state calls and publishes.
    public var outbound: PolicyNames?
    /// For calls the component makes to the app: subscription deliveries.
    public var inbound: PolicyNames?

    /// Creates component policy names.
    public init(outbound: PolicyNames? = nil, inbound: PolicyNames? = nil) {
        self.outbound = outbound
        self.inbound = inbound
    }
}
