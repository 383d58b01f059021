import Testing

@testable import MeshKit

@Suite("Traffic balancers: round robin, least request, random and ring hash")
struct TrafficBalancerTests {
    static func hosts(_ count: Int, from start: Int = 0) -> [UpstreamHost] {
        (start..<start + count).map { UpstreamHost(endpoint: Endpoint(host: "10.0.\($0 / 256).\($0 % 256)", port: 8080)) }
    }

    static func tally(_ balancer: some LoadBalancing, _ set: HostSet, picks: Int, key: (Int) -> UInt64? = { _ in nil })
        -> [ObjectIdentifier: Int]
    {
        var counts: [ObjectIdentifier: Int] = [:]
        for pick in 0..<picks {
            let host = balancer.pick(from: set, hashKey: key(pick))!
            counts[ObjectIdentifier(host), default: 0] += 1
        }
        return counts
    }

    @Test("every balancer returns nil for no host and the host for one")
    func edges() {
        let one = HostSet(Self.hosts(1))
        for policy: LoadBalancerPolicy in [
            .simple(.roundRobin), .simple(.leastRequest), .simple(.random), .consistentHash(.header("x-user"), minimumRingSize: 16),
        ] {
            let balancer = makeBalancer(policy)
            #expect(balancer.pick(from: .empty, hashKey: 7) == nil)
            #expect(balancer.pick(from: one, hashKey: 7) === one[0])
            #expect(balancer.pick(from: one, hashKey: nil) === one[0])
        }
    }

    @Test("the factory runs LEAST_CONN and UNSPECIFIED as LEAST_REQUEST, as Istio does")
    func factory() {
        #expect(makeBalancer(.simple(.roundRobin)) is RoundRobinLoadBalancer)
        #expect(makeBalancer(.simple(.random)) is RandomLoadBalancer)
        #expect(makeBalancer(.simple(.leastRequest)) is LeastRequestLoadBalancer)
        #expect(makeBalancer(.simple(.leastConn)) is LeastRequestLoadBalancer)
        #expect(makeBalancer(.simple(.unspecified)) is LeastRequestLoadBalancer)
        #expect(makeBalancer(.default) is LeastRequestLoadBalancer)
        let ring = makeBalancer(.consistentHash(.queryParameter("user"), minimumRingSize: 2048)) as? RingHashLoadBalancer
        #expect(ring?.minimumRingSize == 2048)
    }

    @Test("round robin gives each host the same share")
    func roundRobinFairness() {
        let set = HostSet(Self.hosts(7))
        let counts = Self.tally(RoundRobinLoadBalancer(), set, picks: 700)
        #expect(counts.count == 7)
        #expect(counts.values.allSatisfy { $0 == 100 })
    }

    @Test("least request never picks the busy host of two, and rarely a busy one of many")
    func leastRequestPrefersIdle() {
        let two = HostSet(Self.hosts(2))
        for _ in 0..<3 { two[0].beginCall() }
        let balancer = LeastRequestLoadBalancer(seed: 42)
        for _ in 0..<1_000 {
            #expect(balancer.pick(from: two, hashKey: nil) === two[1])
        }

        let set = HostSet(Self.hosts(10))
        for _ in 0..<50 { set[3].beginCall() }
        set[5].beginCall()
        let counts = Self.tally(balancer, set, picks: 20_000)
        // Host 3 loses every comparison; host 5 loses all but those against host 3.
        #expect(counts[ObjectIdentifier(set[3])] == nil)
        let busyShare = counts[ObjectIdentifier(set[5]), default: 0]
        #expect(busyShare < 20_000 / 10 / 2)
        for index in [0, 1, 2, 4, 6, 7, 8, 9] {
            let share = counts[ObjectIdentifier(set[index]), default: 0]
            #expect((2_000...3_000).contains(share), "host \(index) got \(share)")
        }
    }

    @Test("least request with equal loads spreads evenly and draws two distinct hosts")
    func leastRequestUniform() {
        let set = HostSet(Self.hosts(4))
        let counts = Self.tally(LeastRequestLoadBalancer(seed: 7), set, picks: 40_000)
        #expect(counts.count == 4)
        #expect(counts.values.allSatisfy { (9_000...11_000).contains($0) }, "\(counts.values)")
    }

    @Test("random spreads roughly uniformly")
    func randomUniform() {
        let set = HostSet(Self.hosts(10))
        let counts = Self.tally(RandomLoadBalancer(seed: 1234), set, picks: 100_000)
        #expect(counts.count == 10)
        #expect(counts.values.allSatisfy { (9_000...11_000).contains($0) }, "\(counts.values)")
    }

    @Test("ring hash sends a key to the same host, also from a new balancer and a new set")
    func ringHashStable() {
        let hosts = Self.hosts(10)
        let set = HostSet(hosts)
        let balancer = RingHashLoadBalancer(minimumRingSize: 1024)
        let key = RingHashLoadBalancer.hashKey("user-42")
        let chosen = balancer.pick(from: set, hashKey: key)
        for _ in 0..<100 {
            #expect(balancer.pick(from: set, hashKey: key) === chosen)
        }
        #expect(RingHashLoadBalancer().pick(from: HostSet(hosts), hashKey: key) === chosen)
        #expect(balancer.ring(of: set) === balancer.ring(of: set), "the ring is built once per set")
        #expect(balancer.ring(of: set).size >= 1024)
        #expect(RingHashLoadBalancer(minimumRingSize: 10).ring(of: HostSet(Self.hosts(3))).size == 12)
    }

    @Test("ring hash: adding an eleventh host moves only a fraction of the keys")
    func ringHashMinimalDisruption() {
        let before = Self.hosts(10)
        let added = Self.hosts(1, from: 10)[0]
        let balancer = RingHashLoadBalancer(minimumRingSize: 1024)
        let oldSet = HostSet(before)
        let newSet = HostSet(before + [added])
        var moved = 0
        var taken = 0
        let keys = 10_000
        for key in 0..<keys {
            let hash = RingHashLoadBalancer.hashKey("key-\(key)")
            let old = balancer.pick(from: oldSet, hashKey: hash)
            let new = balancer.pick(from: newSet, hashKey: hash)
            if old !== new { moved += 1 }
            if new === added { taken += 1 }
        }
        // The new host takes about 1/11 of the keys; as in Envoy, each old host also has fewer
        // points on the bigger ring (⌈1024/11⌉ rather than ⌈1024/10⌉), which moves a few more.
        #expect(taken > keys / 20 && taken < keys / 6, "the new host took \(taken) of \(keys)")
        #expect(moved < keys / 4, "moved \(moved) of \(keys)")
        // Keys spread over all hosts.
        let counts = Self.tally(balancer, newSet, picks: 11_000) { RingHashLoadBalancer.hashKey("k\($0)") }
        #expect(counts.count == 11)
        #expect(counts.values.allSatisfy { $0 > 400 }, "\(counts.values)")
    }
}
