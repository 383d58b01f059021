/// How calls spread over the endpoints of a host or subset: Istio's `LoadBalancerSettings`.
public enum LoadBalancerPolicy: Sendable, Hashable {
    /// Istio's `loadBalancer.simple` algorithms.
    public enum Simple: String, Sendable, Hashable, CaseIterable {
        /// Each endpoint in turn.
        case roundRobin = "ROUND_ROBIN"
        /// Power of two choices: of two random endpoints, the one with the fewer calls in flight,
        /// each weighed by how long its endpoint takes to answer (see ``LeastRequestLoadBalancer``).
        case leastRequest = "LEAST_REQUEST"
        /// Deprecated in Istio, which treats it as ``leastRequest``; so does MeshKit.
        case leastConn = "LEAST_CONN"
        /// A random endpoint.
        case random = "RANDOM"
        /// Istio's default, which Envoy runs as ``leastRequest``.
        case unspecified = "UNSPECIFIED"
    }

    /// What a consistent hash reads from a call.
    public enum HashKey: Sendable, Hashable {
        /// The value of a request header (`httpHeaderName`).
        case header(String)
        /// The value of a query parameter (`httpQueryParameterName`).
        case queryParameter(String)
    }

    /// One of the simple algorithms.
    case simple(Simple)
    /// Istio's `consistentHash`, as a ring hash with at least `minimumRingSize` entries.
    case consistentHash(HashKey, minimumRingSize: Int = 1024)

    /// Istio's default: ``Simple/leastRequest``.
    public static let `default` = LoadBalancerPolicy.simple(.leastRequest)
}
