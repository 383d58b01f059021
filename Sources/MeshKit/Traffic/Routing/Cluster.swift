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
    let hashKey: LoadBalancerPolicy.HashKey?
    /// Connection-pool limits; `nil` without a `connectionPool` section.
    let pool: ConnectionPoolLimiter?
    /// Why calls to this cluster cannot be sent as its rule asks: a `tls.mode` other than
    /// `DISABLE` needs certificates MeshKit does not load yet, and a call is never sent in
    /// plaintext instead.
    let refusal: MeshError?

    init(destination: Destination, labels: [String: String], policy: TrafficPolicy, clock: MonotonicClock) {
        self.destination = destination
        self.policy = policy
        self.upstream = UpstreamCluster(subset: labels, outlierDetection: policy.outlierDetection, clock: clock)
        let balancing = policy.loadBalancer ?? .default
        self.balancer = makeBalancer(balancing)
        if case .consistentHash(let key, _) = balancing { self.hashKey = key } else { self.hashKey = nil }
        self.pool = policy.connectionPool.map { ConnectionPoolLimiter(policy: $0) }
        if let mode = policy.tls?.mode, mode != .disable {
            self.refusal = MeshError(
                .invalidConfiguration,
                "the DestinationRule for '\(destination.host)' sets tls.mode \(mode.rawValue), and MeshKit has no TLS "
                    + "certificates for calls between apps yet; the call was not sent in plaintext instead. "
                    + "Set tls.mode DISABLE to call over plaintext.",
                context: .init(subject: destination.host)
            )
        } else {
            self.refusal = nil
        }
    }

    /// The key a ring-hash balancer hashes for `request`, or `nil` when the balancer hashes
    /// nothing or the request lacks the header or parameter (Envoy then picks at random).
    func hashKey(of request: InvocationRequest) -> UInt64? {
        switch hashKey {
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
