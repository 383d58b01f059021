/// The policies of calls to one host or subset: Istio's `TrafficPolicy`.
public struct TrafficPolicy: Sendable, Hashable {
    /// How calls spread over the endpoints; `nil` is Istio's default, ``LoadBalancerPolicy/default``.
    public var loadBalancer: LoadBalancerPolicy?
    /// Connection and call limits.
    public var connectionPool: ConnectionPoolPolicy?
    /// Ejection of misbehaving endpoints; `nil` turns it off.
    public var outlierDetection: OutlierDetectionPolicy?
    /// Transport security.
    public var tls: ClientTLSPolicy?

    /// Creates a policy.
    public init(
        loadBalancer: LoadBalancerPolicy? = nil,
        connectionPool: ConnectionPoolPolicy? = nil,
        outlierDetection: OutlierDetectionPolicy? = nil,
        tls: ClientTLSPolicy? = nil
    ) {
        self.loadBalancer = loadBalancer
        self.connectionPool = connectionPool
        self.outlierDetection = outlierDetection
        self.tls = tls
    }

    /// This policy with each section `subset` sets replacing the host's, as Istio merges a
    /// subset's `trafficPolicy` over the rule's.
    public func overridden(by subset: TrafficPolicy?) -> TrafficPolicy {
        guard let subset else { return self }
        return TrafficPolicy(
            loadBalancer: subset.loadBalancer ?? loadBalancer,
            connectionPool: subset.connectionPool ?? connectionPool,
            outlierDetection: subset.outlierDetection ?? outlierDetection,
            tls: subset.tls ?? tls
        )
    }
}
