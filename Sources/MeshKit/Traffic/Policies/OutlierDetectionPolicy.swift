/// When an endpoint is ejected from balancing and for how long: Istio's `OutlierDetection`, with
/// its defaults.
public struct OutlierDetectionPolicy: Sendable, Hashable {
    /// Consecutive 5xx answers (and, as in Envoy, local failures such as a refused connection)
    /// that eject an endpoint; `nil` or 0 turns this check off. Istio's default is 5.
    public var consecutive5xxErrors: Int?
    /// Consecutive 502, 503 and 504 answers (and local failures) that eject an endpoint; `nil`
    /// turns this check off, Istio's default.
    public var consecutiveGatewayErrors: Int?
    /// How often ejections are reviewed and expired; Istio's default is 10 s.
    public var interval: Duration
    /// How long a first ejection lasts; each further ejection of the same endpoint lasts this
    /// times the number of times it has been ejected. Istio's default is 30 s.
    public var baseEjectionTime: Duration
    /// The most endpoints, in percent of the pool, that may be ejected at once; Istio's default
    /// is 10, and at least one endpoint may always be ejected, as in Envoy.
    public var maxEjectionPercent: Int
    /// Below this percentage of healthy endpoints, outlier detection stands aside and every
    /// endpoint takes calls again; Istio's default is 0.
    public var minHealthPercent: Int

    /// Creates a policy with Istio's defaults.
    public init(
        consecutive5xxErrors: Int? = 5,
        consecutiveGatewayErrors: Int? = nil,
        interval: Duration = .seconds(10),
        baseEjectionTime: Duration = .seconds(30),
        maxEjectionPercent: Int = 10,
        minHealthPercent: Int = 0
    ) {
        self.consecutive5xxErrors = consecutive5xxErrors
        self.consecutiveGatewayErrors = consecutiveGatewayErrors
        self.interval = interval
        self.baseEjectionTime = baseEjectionTime
        self.maxEjectionPercent = maxEjectionPercent
        self.minHealthPercent = minHealthPercent
    }
}
