/// MeshKit's additions to a `Resiliency` resource's `spec.policies`, named like Dapr's own
/// policies and referred to from targets (`concurrencyLimit: bulkhead`, `fault: flaky`):
///
/// ```yaml
/// spec:
///   policies:
///     concurrencyLimits:
///       bulkhead: { maxConcurrent: 50 }
///     rateLimits:
///       steady: { requestsPerSecond: 100, burst: 20 }
///     faults:
///       flaky:                       # Istio's HTTPFaultInjection shape
///         delay: { percentage: { value: 10 }, fixedDelay: 2s }
///         abort: { percentage: { value: 5 }, httpStatus: 503 }
///     retryBudgets:
///       tight: { ratio: 0.1, minRetriesPerSecond: 5, window: 10s }
///       off: { enabled: false }
/// ```
public struct ResiliencyExtensions: Sendable, Hashable {
    /// Named concurrency limits: the most calls in flight at once.
    public var concurrencyLimits: [String: Int]
    /// Named token-bucket rate limits.
    public var rateLimits: [String: RateLimitPolicy]
    /// Named fault injections.
    public var faults: [String: FaultInjection]
    /// Named retry budgets; `nil` turns the budget off.
    public var retryBudgets: [String: RetryBudget.Configuration?]

    /// Creates extensions.
    public init(
        concurrencyLimits: [String: Int] = [:],
        rateLimits: [String: RateLimitPolicy] = [:],
        faults: [String: FaultInjection] = [:],
        retryBudgets: [String: RetryBudget.Configuration?] = [:]
    ) {
        self.concurrencyLimits = concurrencyLimits
        self.rateLimits = rateLimits
        self.faults = faults
        self.retryBudgets = retryBudgets
    }

    init(policies: ResourceNode?) throws(MeshError) {
        self.init()
        guard let policies else { return }
        for (name, node) in try policies.members("concurrencyLimits") {
            guard let limit = try node.int("maxConcurrent"), limit > 0 else {
                throw node.error(.malformedResource, "'\(node.path).maxConcurrent' must be a positive whole number")
            }
            concurrencyLimits[name] = limit
        }
        for (name, node) in try policies.members("rateLimits") {
            guard let rateText = try node.string("requestsPerSecond"), let rate = Double(rateText), rate > 0,
                rate <= RateLimitPolicy.maxRequestsPerSecond
            else {
                throw node.error(
                    .malformedResource,
                    "'\(node.path).requestsPerSecond' must be a positive number up to \(Int(RateLimitPolicy.maxRequestsPerSecond))"
                )
            }
            let burst = try node.int("burst") ?? max(1, Int(rate.rounded(.up)))
            guard burst > 0 else { throw node.error(.malformedResource, "'\(node.path).burst' must be positive") }
            rateLimits[name] = RateLimitPolicy(requestsPerSecond: rate, burst: burst)
        }
        for (name, node) in try policies.members("faults") {
            faults[name] = try FaultInjection(node: node)
        }
        for (name, node) in try policies.members("retryBudgets") {
            if try node.bool("enabled") == false {
                retryBudgets[name] = .some(nil)
                continue
            }
            let defaults = RetryBudget.Configuration.default
            let ratioText = try node.string("ratio")
            guard let ratio = ratioText.map(Double.init) ?? defaults.ratio, (0...1).contains(ratio) else {
                throw node.error(.malformedResource, "'\(node.path).ratio' must be a number from 0 to 1")
            }
            retryBudgets[name] = RetryBudget.Configuration(
                ratio: ratio,
                minRetriesPerSecond: try node.int("minRetriesPerSecond") ?? defaults.minRetriesPerSecond,
                window: try node.duration("window") ?? defaults.window
            )
        }
    }
}

/// A token-bucket rate limit.
public struct RateLimitPolicy: Sendable, Hashable {
    /// The sustained rate.
    public var requestsPerSecond: Double
    /// The most calls allowed at once after a quiet period.
    public var burst: Int
    /// The highest rate a resource file may set, a billion calls a second; past it a rate is
    /// as good as no limit, and its default burst would not fit in an `Int`.
    static let maxRequestsPerSecond = 1e9

    /// Creates a rate limit.
    public init(requestsPerSecond: Double, burst: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }
}
