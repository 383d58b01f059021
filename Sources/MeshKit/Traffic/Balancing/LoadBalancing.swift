/// Picks the host of one call: the balancer stage of traffic management.
///
/// The caller passes only the hosts that may take calls (``UpstreamCluster/eligibleHosts``, which
/// leaves out the hosts outlier detection has ejected), so a pick never tests ejections: the
/// eligible set is rebuilt on the rare ejection or return instead, as Envoy rebuilds its healthy
/// host list. A balancer keeps no per-set state of its own beyond what ``HostSet`` caches, and
/// every pick is safe to call from any thread.
public protocol LoadBalancing: Sendable {
    /// The host for one call, or `nil` when `hosts` is empty.
    ///
    /// - Parameters:
    ///   - hosts: The eligible hosts.
    ///   - hashKey: The call's key for consistent hashing (see
    ///     ``RingHashLoadBalancer/hashKey(_:)``); balancers other than the ring hash ignore it,
    ///     and the ring hash picks at random without one, as Envoy does.
    func pick(from hosts: HostSet, hashKey: UInt64?) -> UpstreamHost?
}

/// The balancer for `policy`. As in Istio, ``LoadBalancerPolicy/Simple/leastConn`` and
/// ``LoadBalancerPolicy/Simple/unspecified`` run as ``LoadBalancerPolicy/Simple/leastRequest``.
public func makeBalancer(_ policy: LoadBalancerPolicy) -> any LoadBalancing {
    switch policy {
    case .simple(.roundRobin):
        RoundRobinLoadBalancer()
    case .simple(.random):
        RandomLoadBalancer()
    case .simple(.leastRequest), .simple(.leastConn), .simple(.unspecified):
        LeastRequestLoadBalancer()
    case .consistentHash(_, let minimumRingSize):
        RingHashLoadBalancer(minimumRingSize: minimumRingSize)
    }
}
