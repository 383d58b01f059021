/// Consistent hashing over a ring: Istio's `consistentHash` with `minimumRingSize`, run as
/// Envoy's ring hash. A key goes to the host of the first ring point at or after it, so the same
/// key goes to the same host while the set is unchanged, and adding or removing one host of n
/// moves only about 1/n of the keys.
///
/// The ring is built once per ``HostSet``, on the first pick from it (O(size · log size)), and
/// cached in the set; a pick is then one binary search. A call without a key goes to a host at
/// random, as in Envoy.
public final class RingHashLoadBalancer: LoadBalancing {
    /// The fewest points on the ring; Envoy's and Istio's default is 1024.
    public let minimumRingSize: Int
    private let random = BalancerRandom()

    /// Creates a balancer whose rings have at least `minimumRingSize` points (at most Envoy's
    /// 8,388,608).
    public init(minimumRingSize: Int = 1024) {
        self.minimumRingSize = max(1, minimumRingSize)
    }

    /// The hash key of a call from the value it is hashed on (a header or query parameter): a
    /// fixed 64-bit hash of its UTF-8 bytes, the same in every process.
    public static func hashKey(_ value: some StringProtocol) -> UInt64 {
        TrafficHash.hash(value)
    }

    public func pick(from hosts: HostSet, hashKey: UInt64?) -> UpstreamHost? {
        let count = hosts.count
        guard count > 0 else { return nil }
        guard let hashKey else {
            return hosts[BalancerRandom.index(UInt32(truncatingIfNeeded: random.next()), below: count)]
        }
        return hosts[ring(of: hosts).owner(of: hashKey)]
    }

    /// The ring of `hosts`, built and cached on first use. A set shared with a balancer of another
    /// ring size (not done by the core: one cluster has one policy) gets an uncached ring.
    func ring(of hosts: HostSet) -> HashRing {
        if let ring = hosts.ring.load(), ring.minimumSize == minimumRingSize { return ring }
        let built = HashRing(hosts: hosts, minimumSize: minimumRingSize)
        let stored = hosts.ring.storeIfNil(built)
        return stored.minimumSize == minimumRingSize ? stored : built
    }
}
