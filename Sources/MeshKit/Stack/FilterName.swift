/// The name of a filter in a ``CallStack``: what inserting before or after, replacing or removing
/// refers to. MeshKit's own filters have the names below; an app names its own.
public struct FilterName: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The name.
    public let rawValue: String

    /// Creates a name.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { rawValue }

    /// Records each call's duration and outcome in the target's metrics.
    public static let metrics: FilterName = "metrics"
    /// Writes an access log line per call (Istio's `meshConfig.accessLogFile`).
    public static let accessLog: FilterName = "accessLog"
    /// A token bucket: calls over the rate fail at once.
    public static let rateLimit: FilterName = "rateLimit"
    /// The most calls in flight at once.
    public static let concurrencyLimit: FilterName = "concurrencyLimit"
    /// A deadline over all attempts: Dapr's `deadline`, a VirtualService route's `timeout`.
    public static let deadline: FilterName = "deadline"
    /// Retries with backoff, bounded by the retry budget.
    public static let retry: FilterName = "retry"
    /// A VirtualService route: the weighted destination, header changes, rewrite, mirror.
    public static let route: FilterName = "route"
    /// Picks the endpoint of the destination and subset.
    public static let balancer: FilterName = "balancer"
    /// Ejects endpoints that fail in a row (DestinationRule `outlierDetection`).
    public static let outlierDetection: FilterName = "outlierDetection"
    /// Connection-pool limits (DestinationRule `connectionPool`).
    public static let connectionPool: FilterName = "connectionPool"
    /// The circuit breaker.
    public static let circuitBreaker: FilterName = "circuitBreaker"
    /// The timeout of each attempt.
    public static let attemptTimeout: FilterName = "attemptTimeout"
    /// Fault injection: delays and aborts.
    public static let fault: FilterName = "fault"
}
