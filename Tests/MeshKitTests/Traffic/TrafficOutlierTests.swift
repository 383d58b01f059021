import Testing

@testable import MeshKit

@Suite("Traffic outlier detection: consecutive errors, ejection time, caps, panic")
struct TrafficOutlierTests {
    /// A detector over `count` fresh hosts.
    static func detector(
        _ count: Int,
        _ policy: OutlierDetectionPolicy,
        clock: TestMonotonicClock
    ) -> (OutlierDetector, HostSet) {
        let hosts = HostSet(TrafficBalancerTests.hosts(count))
        let detector = OutlierDetector(policy: policy, clock: clock.clock)
        detector.update(hosts: hosts)
        return (detector, hosts)
    }

    static func fail(_ detector: OutlierDetector, _ host: UpstreamHost, times: Int, status: Int = 500) {
        for _ in 0..<times { detector.record(host, outcome: .httpStatus(status)) }
    }

    @Test("five consecutive 5xx eject a host at once; it leaves the eligible set")
    func consecutive5xxEject() {
        let time = TestMonotonicClock()
        let (detector, hosts) = Self.detector(10, OutlierDetectionPolicy(), clock: time)
        Self.fail(detector, hosts[2], times: 4)
        #expect(!hosts[2].isEjected)
        #expect(detector.eligibleHosts === hosts, "no copy while nothing is ejected")
        detector.record(hosts[2], outcome: .localOriginFailure)
        #expect(hosts[2].isEjected)
        #expect(hosts[2].ejectionCount == 1)
        #expect(detector.ejectedCount == 1)
        #expect(detector.eligibleHosts.count == 9)
        #expect(!detector.eligibleHosts.hosts.contains { $0 === hosts[2] })
    }

    @Test("a success, or an answer below 500, resets the consecutive count")
    func successResets() {
        let time = TestMonotonicClock()
        let (detector, hosts) = Self.detector(10, OutlierDetectionPolicy(), clock: time)
        Self.fail(detector, hosts[0], times: 4)
        detector.record(hosts[0], outcome: .success)
        Self.fail(detector, hosts[0], times: 4)
        detector.record(hosts[0], outcome: .httpStatus(404))
        Self.fail(detector, hosts[0], times: 4)
        #expect(!hosts[0].isEjected)
        detector.record(hosts[0], outcome: .httpStatus(503))
        #expect(hosts[0].isEjected)
    }

    @Test("gateway errors count 502, 503, 504 and local failures; another 5xx resets them")
    func gatewayErrors() {
        let time = TestMonotonicClock()
        let policy = OutlierDetectionPolicy(consecutive5xxErrors: nil, consecutiveGatewayErrors: 3)
        let (detector, hosts) = Self.detector(10, policy, clock: time)
        Self.fail(detector, hosts[0], times: 10, status: 500)
        #expect(!hosts[0].isEjected, "a plain 500 is no gateway error, and the 5xx check is off")
        Self.fail(detector, hosts[0], times: 2, status: 502)
        detector.record(hosts[0], outcome: .httpStatus(500))
        detector.record(hosts[0], outcome: .httpStatus(504))
        #expect(!hosts[0].isEjected)
        detector.record(hosts[0], outcome: .localOriginFailure)
        detector.record(hosts[0], outcome: .httpStatus(503))
        #expect(hosts[0].isEjected)
    }

    @Test("an ejection lasts the base time × the number of ejections, then lessens while healthy")
    func ejectionTime() {
        let time = TestMonotonicClock()
        let policy = OutlierDetectionPolicy(interval: .seconds(1), baseEjectionTime: .seconds(30))
        let (detector, hosts) = Self.detector(10, policy, clock: time)
        let host = hosts[4]

        Self.fail(detector, host, times: 5)
        #expect(host.isEjected)
        time.advance(by: .seconds(29))
        detector.sweepIfDue()
        #expect(host.isEjected)
        time.advance(by: .seconds(1))
        detector.sweepIfDue()
        #expect(!host.isEjected, "back after 30 s")
        #expect(detector.eligibleHosts.count == 10)

        Self.fail(detector, host, times: 5)
        #expect(host.ejectionCount == 2)
        time.advance(by: .seconds(59))
        detector.record(hosts[0], outcome: .success)  // recording runs the due sweeps too
        #expect(host.isEjected)
        time.advance(by: .seconds(1))
        detector.record(hosts[0], outcome: .success)
        #expect(!host.isEjected, "back after 2 × 30 s")

        // Healthy for two intervals after its return: the multiplier falls from 2 to 0.
        time.advance(by: .seconds(3))
        detector.sweepIfDue()
        #expect(host.ejectionMultiplier.load(ordering: .relaxed) == 0)
        Self.fail(detector, host, times: 5)
        time.advance(by: .seconds(30))
        detector.sweepIfDue()
        #expect(!host.isEjected, "back after 30 s again")
    }

    @Test("ejections stop at maxEjectionPercent, but one host may always be ejected")
    func maxEjectionPercent() {
        let time = TestMonotonicClock()
        let (detector, hosts) = Self.detector(10, OutlierDetectionPolicy(maxEjectionPercent: 20), clock: time)
        for index in 0..<4 { Self.fail(detector, hosts[index], times: 5) }
        #expect(hosts.hosts.map(\.isEjected) == [true, true, false, false, false, false, false, false, false, false])
        #expect(detector.ejectedCount == 2)
        // The count that tripped was reset: the refused host needs five more errors.
        Self.fail(detector, hosts[2], times: 4)
        #expect(!hosts[2].isEjected)

        let (small, few) = Self.detector(4, OutlierDetectionPolicy(maxEjectionPercent: 10), clock: time)
        Self.fail(small, few[0], times: 5)
        Self.fail(small, few[1], times: 5)
        #expect(few[0].isEjected, "10 % of 4 hosts rounds down, yet one host may be ejected")
        #expect(!few[1].isEjected)
    }

    @Test("below minHealthPercent healthy hosts, every host is eligible again")
    func minHealthPercent() {
        let time = TestMonotonicClock()
        let policy = OutlierDetectionPolicy(maxEjectionPercent: 100, minHealthPercent: 60)
        let (detector, hosts) = Self.detector(4, policy, clock: time)
        Self.fail(detector, hosts[0], times: 5)
        #expect(detector.eligibleHosts.count == 3)
        #expect(!detector.isPanicking)
        Self.fail(detector, hosts[1], times: 5)
        #expect(hosts[1].isEjected)
        #expect(detector.isPanicking, "2 of 4 healthy is below 60 %")
        #expect(detector.eligibleHosts === hosts)
    }

    @Test("with every host ejected and no panic, the set is empty until the ejections end")
    func allEjected() {
        let time = TestMonotonicClock()
        let policy = OutlierDetectionPolicy(interval: .seconds(10), baseEjectionTime: .seconds(30))
        let (detector, hosts) = Self.detector(1, policy, clock: time)
        Self.fail(detector, hosts[0], times: 5)
        #expect(detector.eligibleHosts.isEmpty)
        time.advance(by: .seconds(40))
        #expect(detector.eligibleHosts.count == 1, "reading the empty set runs the due sweep")
    }

    @Test("results for a host no longer in the cluster are ignored")
    func removedHost() {
        let time = TestMonotonicClock()
        let (detector, hosts) = Self.detector(3, OutlierDetectionPolicy(maxEjectionPercent: 100), clock: time)
        detector.update(hosts: HostSet([hosts[1], hosts[2]]))
        Self.fail(detector, hosts[0], times: 5)
        #expect(!hosts[0].isEjected)
        #expect(detector.ejectedCount == 0)
    }
}
