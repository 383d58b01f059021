import HTTPTypes

/// One destination's endpoints and what balances over them: Envoy's cluster, an app ID and a
/// subset of its endpoints, with the DestinationRule's policy for that subset.
final class Cluster: Sendable {
    let destination: Destination
    let policy: TrafficPolicy
    /// The endpoints' live state, the subset filter and outlier detection.
    let upstream: UpstreamCluster
    let balancer: any LoadBalancing
    /// What a consistent hash reads from the request, for a ring-hash balancer.
    let hashSource: LoadBalancerPolicy.HashKey?
    /// Connection-pool limits; `nil` without a `connectionPool` section.
    let pool: ConnectionPoolLimiter?

    init(destination: Destination, labels: [String: String], policy: TrafficPolicy, clock: MonotonicClock) {
        self.destination = destination
        self.policy = policy
        self.upstream = UpstreamCluster(subset: labels, outlierDetection: policy.outlierDetection, clock: clock)
        let balancing = policy.loadBalancer ?? .default
        self.balancer = makeBalancer(balancing)
        if case .consistentHash(let key, _) = balancing { self.hashSource = key } else { self.hashSource = nil }
        self.pool = policy.connectionPool.map { ConnectionPoolLimiter(policy: $0) }
    }

    /// Whether the balancer hashes something of each request (``hashKey(of:)``).
    var hashesRequests: Bool { hashSource != nil }

    /// The key a ring-hash balancer hashes for `request`, or `nil` when the balancer hashes
    /// nothing or the request lacks the header or parameter (Envoy then picks at random).
    func hashKey(of request: InvocationRequest) -> UInt64? {
        switch hashSource {
        case nil:
            return nil
        case .header(let name):
            guard let field = HTTPField.Name(name), let value = request.headers[field] else { return nil }
            return RingHashLoadBalancer.hashKey(value)
        case .queryParameter(let name):
            guard let value = request.query.first(where: { $0.name == name })?.value else { return nil }
            return RingHashLoadBalancer.hashKey(value)
        }
    }
}
