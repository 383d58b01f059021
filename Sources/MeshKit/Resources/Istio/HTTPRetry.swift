/// Istio's `HTTPRetry`: how a route retries a failed call.
public struct HTTPRetry: Sendable, Hashable {
    /// `attempts`: the most retries (after the first try); 0 turns retries off.
    public var attempts: Int
    /// `perTryTimeout`: the time each try may take; `nil` leaves only the route's timeout.
    public var perTryTimeout: Duration?
    /// `retryOn`; `nil` is Istio's default, ``RetryOn/istioDefault``.
    public var retryOn: RetryOn?

    /// Creates a retry policy.
    public init(attempts: Int, perTryTimeout: Duration? = nil, retryOn: RetryOn? = nil) {
        self.attempts = attempts
        self.perTryTimeout = perTryTimeout
        self.retryOn = retryOn
    }

    /// The conditions that apply: ``retryOn`` or Istio's default.
    public var effectiveRetryOn: RetryOn { retryOn ?? .istioDefault }

    /// Reads a route's `retries`; an unknown `retryOn` entry is an error naming the field.
    init(node: ResourceNode) throws(MeshError) {
        self.attempts = try node.int("attempts") ?? 0
        self.perTryTimeout = try node.nonNegativeDuration("perTryTimeout")
        if let field = try node.child("retryOn") {
            let text = try field.string()
            do throws(RetryOn.Invalid) {
                self.retryOn = try RetryOn(parsing: text)
            } catch {
                throw field.error(.malformedResource, "'\(field.path)': \(error)")
            }
        } else {
            self.retryOn = nil
        }
    }
}
