/// Of two hosts drawn at random, the one with the lower cost: Istio's `LEAST_REQUEST` (and its
/// default), run as a "power of two choices" balancer whose cost weighs each host's calls in
/// flight by how long it takes to answer.
///
/// A host's cost is its ``UpstreamHost/latencyEstimate`` (a peak EWMA, see ``PeakLatency``)
/// times its calls in flight plus one: Linkerd's balancer, and Envoy's contrib `peak_ewma` one.
/// Envoy's own least-request balancer compares the calls in flight alone, which is what this one
/// does when the hosts answer equally fast, or when either has no estimate yet. The difference
/// shows with a slow host: counting calls alone keeps about as many callers waiting on it as on
/// each fast host, and so sends it a steady share of the calls, while the weighted cost sends it
/// almost none until its estimate has decayed (see the README's differences from Istio).
///
/// Unlike Envoy, which draws each choice independently and may draw the same host twice, the two
/// choices are always distinct hosts. On a tie the first drawn wins, which is itself random. A
/// pick draws one random word for both choices, reads two counters and two estimates, reads no
/// clock and allocates nothing.
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
            return b.latency.costsLess(withCalls: b.callsInFlight, than: a.latency, withCalls: a.callsInFlight) ? b : a
        }
    }
}
