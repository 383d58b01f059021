import Synchronization

/// Each host in turn: Istio's `ROUND_ROBIN`. One shared counter, advanced atomically, so calls
/// from every thread interleave fairly; when the set changes, the turn carries on from where it
/// was.
public final class RoundRobinLoadBalancer: LoadBalancing {
    private let turn = Atomic<UInt>(0)

    /// Creates a balancer.
    public init() {}

    public func pick(from hosts: HostSet, hashKey: UInt64?) -> UpstreamHost? {
        let count = hosts.count
        guard count > 0 else { return nil }
        let turn = turn.wrappingAdd(1, ordering: .relaxed).oldValue
        return hosts[Int(turn % UInt(count))]
    }
}
