/// Of two hosts drawn at random, the one with fewer calls in flight: Istio's `LEAST_REQUEST`
/// (and its default), run as Envoy's least-request balancer with its default choice count of 2
/// ("power of two choices").
///
/// Unlike Envoy, which draws each choice independently and may draw the same host twice, the two
/// choices are always distinct hosts. On a tie the first drawn wins, which is itself random. A
/// pick draws one random word for both choices, reads two counters and allocates nothing.
public final class LeastRequestLoadBalancer: LoadBalancing {
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
        guard count > 1 else { return count == 1 ? hosts[0] : nil }
        let word = random.next()
        let first = BalancerRandom.index(UInt32(truncatingIfNeeded: word), below: count)
        var second = BalancerRandom.index(UInt32(truncatingIfNeeded: word >> 32), below: count - 1)
        if second >= first { second += 1 }
        return hosts.hosts.withUnsafeBufferPointer { hosts in
            let a = hosts[first]
            let b = hosts[second]
            return b.callsInFlight < a.callsInFlight ? b : a
        }
    }
}
