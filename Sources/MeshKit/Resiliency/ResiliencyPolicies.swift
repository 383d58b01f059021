/// The policies of every `Resiliency` resource that applies to an app, merged, with Dapr's
/// lookup rules: a target's own policy names first, then the `Default…Policy` names from the
/// most to the least specific (`DefaultStatestoreComponentOutboundRetryPolicy`,
/// `DefaultComponentOutboundRetryPolicy`, `DefaultComponentRetryPolicy`, `DefaultRetryPolicy`).
struct ResiliencyPolicies: Sendable {
    private var timeouts: [String: Duration] = [:]
    private var retries: [String: RetryPolicy] = [:]
    private var circuitBreakers: [String: CircuitBreakerPolicy] = [:]
    private var extensions = ResiliencyExtensions()
    private var apps: [String: PolicyNames] = [:]
    private var inboundApps: [String: PolicyNames] = [:]
    private var components: [String: ComponentPolicyNames] = [:]

    init(_ resources: [ResiliencyResource]) {
        for resource in resources {
            timeouts.merge(resource.timeouts) { _, new in new }
            retries.merge(resource.retries) { _, new in new }
            circuitBreakers.merge(resource.circuitBreakers) { _, new in new }
            extensions.concurrencyLimits.merge(resource.extensions.concurrencyLimits) { _, new in new }
            extensions.rateLimits.merge(resource.extensions.rateLimits) { _, new in new }
            extensions.faults.merge(resource.extensions.faults) { _, new in new }
            extensions.retryBudgets.merge(resource.extensions.retryBudgets) { _, new in new }
            apps.merge(resource.apps) { _, new in new }
            inboundApps.merge(resource.inboundApps) { _, new in new }
            components.merge(resource.components) { _, new in new }
        }
    }

    /// The policies that apply to calls to `target`.
    func resolve(_ target: PolicyTarget, defaultBudget: RetryBudget.Configuration?) -> TargetPolicies {
        let names = names(of: target)
        let defaults = { (type: String) in target.defaultPolicyNames(type) }
        return TargetPolicies(
            retry: lookup(names?.retry, defaults("Retry"), in: retries),
            attemptTimeout: duration(names?.timeout) ?? defaults("Timeout").lazy.compactMap { timeouts[$0] }.first,
            circuitBreaker: lookup(names?.circuitBreaker, defaults("CircuitBreaker"), in: circuitBreakers),
            deadline: duration(names?.deadline),
            concurrencyLimit: names?.concurrencyLimit.flatMap { extensions.concurrencyLimits[$0] },
            rateLimit: names?.rateLimit.flatMap { extensions.rateLimits[$0] },
            fault: names?.fault.flatMap { extensions.faults[$0] },
            retryBudget: names?.retryBudget.flatMap { extensions.retryBudgets[$0] } ?? defaultBudget
        )
    }

    private func names(of target: PolicyTarget) -> PolicyNames? {
        switch target.kind {
        case .app(let appID): apps[appID]
        case .appInbound(let appID): inboundApps[appID]
        case .component(let name, _, .outbound): components[name]?.outbound
        case .component(let name, _, .inbound): components[name]?.inbound
        }
    }

    private func lookup<Policy>(_ name: String?, _ defaults: [String], in policies: [String: Policy]) -> Policy? {
        if let name { return policies[name] }
        return defaults.lazy.compactMap { policies[$0] }.first
    }

    /// A named timeout, or a duration written inline.
    private func duration(_ name: String?) -> Duration? {
        guard let name else { return nil }
        return timeouts[name] ?? GoDuration.parse(name)
    }
}

/// The policy values that apply to one target, before the stateful parts are built.
struct TargetPolicies: Sendable {
    var retry: RetryPolicy?
    var attemptTimeout: Duration?
    var circuitBreaker: CircuitBreakerPolicy?
    var deadline: Duration?
    var concurrencyLimit: Int?
    var rateLimit: RateLimitPolicy?
    var fault: FaultInjection?
    var retryBudget: RetryBudget.Configuration?
    /// Envoy's retry conditions, when a VirtualService route sets the retries; `nil` reads
    /// results and errors as Dapr's Resiliency does.
    var retryOn: RetryOn?

    /// These policies with a VirtualService route's settings where it has them, which is the
    /// rule when a route and a Resiliency target both apply to an app: the route's `retries`
    /// replace the retry policy (and `perTryTimeout` the timeout), its `timeout` is the deadline
    /// over all attempts, and its `fault` replaces the fault; the breaker, the limits and the
    /// budget stay the Resiliency target's, as do the retry and timeout a route leaves unset.
    func applying(_ route: HTTPRoute) -> TargetPolicies {
        var policies = self
        if let retries = route.retries {
            policies.retry = retries.attempts > 0 ? .envoy(maxRetries: retries.attempts) : nil
            policies.retryOn = retries.attempts > 0 ? retries.effectiveRetryOn : nil
            if let perTry = retries.perTryTimeout { policies.attemptTimeout = perTry }
        }
        if let timeout = route.timeout { policies.deadline = timeout }
        if let fault = route.fault { policies.fault = fault }
        return policies
    }
}

extension RetryPolicy {
    /// Envoy's retry backoff, which a VirtualService route's retries use: exponential from 25 ms,
    /// up to ten times that, with jitter.
    static func envoy(maxRetries: Int) -> RetryPolicy {
        RetryPolicy(
            backoff: .exponential(
                initialInterval: .milliseconds(25),
                multiplier: 2,
                maxInterval: .milliseconds(250),
                randomizationFactor: 0.5
            ),
            maxRetries: maxRetries
        )
    }
}
