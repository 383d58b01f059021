/// A host at random, uniformly: Istio's `RANDOM`.
public final class RandomLoadBalancer: LoadBalancing {
    private let random: BalancerRandom

    /// Creates a balancer.
    public convenience init() {
        self.init(seed: nil)
    }

    /// A balancer drawing from a fixed seed, for reproducible tests.
    init(seed: UInt64?) {
        random = BalancerRandom(seed: seed)
    }

    public func pick(from hosts: HostSet, hashKey: UInt64?) -> UpstreamHost? {
        let count = hosts.count
        guard count > 0 else { return nil }
        return hosts[BalancerRandom.index(UInt32(truncatingIfNeeded: random.next()), below: count)]
    }
}
