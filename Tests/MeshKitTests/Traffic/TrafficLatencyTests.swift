import Foundation
import MeshKitTesting
import Testing

@testable import MeshKit

/// A transport whose endpoints take time on a manual clock: the endpoint on port 4 takes 50 ms,
/// the others 1 ms. It answers with the endpoint's port.
private struct TimedTransport: InvocationTransport {
    let resolver: any NameResolver
    let clock: ManualClock

    func invoke(_ request: InvocationRequest, at endpoint: Endpoint, policy: TrafficPolicy) async throws -> InvocationResponse {
        clock.advance(by: endpoint.port == 4 ? 0.050 : 0.001)
        return .text("\(endpoint.port)")
    }
}

/// A resolver that must always be asked (it knows no endpoints ahead), so the balancer runs
/// through its `handle` rather than inline.
private struct AskedResolver: NameResolver {
    let table: StaticNameResolver

    init(_ table: StaticNameResolver) {
        self.table = table
    }

    func resolve(appID: String) async throws -> [Endpoint] {
        try await table.resolve(appID: appID)
    }
}

@Suite("least request weighs calls in flight by each host's peak-EWMA latency")
struct TrafficLatencyTests {
    static let ms: Int64 = 1_000_000

    static func host() -> UpstreamHost {
        UpstreamHost(endpoint: Endpoint(host: "10.0.0.1", port: 8080))
    }

    /// Whether `a`, with `callsA` in flight, costs less than `b` with `callsB`.
    static func cheaper(_ a: UpstreamHost, _ callsA: Int, than b: UpstreamHost, _ callsB: Int) -> Bool {
        a.latency.costsLess(withCalls: callsA, than: b.latency, withCalls: callsB)
    }

    @Test("a slower answer replaces the estimate at once; a faster one is averaged in by the time since the last")
    func peakThenDecay() {
        let host = Self.host()
        #expect(host.latency.nanoseconds == 0)
        host.latency.observe(2 * Self.ms, at: 0)
        host.latency.observe(50 * Self.ms, at: 1 * Self.ms)
        #expect(host.latency.nanoseconds == Double(50 * Self.ms))
        // 10 s later (one decay time), a 2 ms answer keeps 1/e of the old estimate.
        host.latency.observe(2 * Self.ms, at: 10_001 * Self.ms)
        let expected = 50e6 * 0.36787944 + 2e6 * (1 - 0.36787944)
        #expect(abs(host.latency.nanoseconds - expected) < 1e3)
        // An answer a moment after moves it hardly at all.
        let before = host.latency.nanoseconds
        host.latency.observe(2 * Self.ms, at: 10_002 * Self.ms)
        #expect(host.latency.nanoseconds < before && host.latency.nanoseconds > before * 0.999)
    }

    @Test("a host counts its calls in flight and reads its estimate through the public end-of-call API")
    func publicEndOfCall() {
        let host = Self.host()
        #expect(host.latencyEstimate == nil)
        host.beginCall()
        host.beginCall()
        #expect(host.callsInFlight == 2)
        host.endCall(answeredAfter: .milliseconds(3), at: .seconds(10))
        #expect(host.latencyEstimate == .milliseconds(3))
        host.endCall(failedAfter: .milliseconds(1), at: .seconds(11))
        #expect(host.latencyEstimate == .milliseconds(3))
        #expect(host.callsInFlight == 0)
        // A failure after the longest duration there is reads back as that, not a trap.
        host.beginCall()
        host.endCall(failedAfter: .seconds(Int64.max), at: .seconds(12))
        #expect(host.latencyEstimate == .longest)
    }

    @Test("a failure may raise the estimate but never lowers it")
    func failureIsALowerBound() {
        let host = Self.host()
        host.latency.observe(20 * Self.ms, at: 0)
        host.latency.observeFailure(after: 1 * Self.ms, at: 5 * Self.ms)
        #expect(host.latency.nanoseconds == Double(20 * Self.ms))
        host.latency.observeFailure(after: 900 * Self.ms, at: 6 * Self.ms)
        #expect(host.latency.nanoseconds == Double(900 * Self.ms))
    }

    @Test("cost is the estimate times the calls in flight plus one; without an estimate the calls alone decide")
    func cost() {
        let fast = Self.host()
        let slow = Self.host()
        let unknown = Self.host()
        fast.latency.observe(1 * Self.ms, at: 100 * Self.ms)
        slow.latency.observe(50 * Self.ms, at: 100 * Self.ms)
        // 1 ms × 10 calls costs less than 50 ms × 1 call, which costs less than 1 ms × 60.
        #expect(Self.cheaper(fast, 9, than: slow, 0))
        #expect(!Self.cheaper(fast, 59, than: slow, 0))
        #expect(Self.cheaper(slow, 0, than: fast, 59))
        // Equal estimates: the calls in flight decide, as in Envoy.
        #expect(Self.cheaper(fast, 1, than: fast, 2))
        #expect(!Self.cheaper(fast, 2, than: fast, 2))
        #expect(Self.cheaper(unknown, 0, than: fast, 1))
        #expect(!Self.cheaper(unknown, 3, than: fast, 1))
    }

    @Test("an estimate not updated for a while decays against a fresh one, so an idle slow host is tried again")
    func staleEstimateDecays() {
        let fast = Self.host()
        let slow = Self.host()
        slow.latency.observe(50 * Self.ms, at: 0)
        fast.latency.observe(1 * Self.ms, at: 30_000 * Self.ms)
        // 30 s on, the slow host's 50 ms counts as 50·e⁻³ ≈ 2.5 ms: still dearer than 1 ms.
        #expect(Self.cheaper(fast, 0, than: slow, 0))
        fast.latency.observe(1 * Self.ms, at: 45_000 * Self.ms)
        // 45 s on, ≈ 0.56 ms: now the cheaper of the two.
        #expect(Self.cheaper(slow, 0, than: fast, 0))
    }

    @Test(
        "a mesh sends a host 50× slower than its three peers a share of the calls far below round robin's, and probes it again as its estimate decays; whether the resolver knows the endpoints ahead or is asked",
        arguments: [true, false]
    )
    func slowHostThroughTheMesh(knowsAhead: Bool) async throws {
        let endpoints = (1...4).map { Endpoint(host: "127.0.0.1", port: $0) }
        var shares: [String: Double] = [:]
        for balancer in ["ROUND_ROBIN", "LEAST_REQUEST"] {
            let clock = ManualClock()
            var configuration = MeshConfiguration.testing(
                resources: try ResourceLoader.parse(
                    yaml: """
                        apiVersion: networking.istio.io/v1
                        kind: DestinationRule
                        metadata: { name: catalog }
                        spec:
                          host: catalog
                          trafficPolicy: { loadBalancer: { simple: \(balancer) } }
                        """,
                    file: "rule.yaml"
                ),
                clock: clock.wallClock,
                monotonicClock: clock.monotonicClock
            )
            let table = StaticNameResolver(["catalog": endpoints])
            configuration.remoteTransport = TimedTransport(resolver: knowsAhead ? table : AskedResolver(table), clock: clock)
            let mesh = try await Mesh(appID: "caller", configuration: configuration)
            var slowCalls = 0
            let calls = 400
            for _ in 0..<calls {
                let answer = try await mesh.invoke(appID: "catalog", method: "item", httpMethod: .get)
                if answer.body == Data("4".utf8) { slowCalls += 1 }
                clock.advance(by: 0.5)
            }
            await mesh.shutdown()
            shares[balancer] = Double(slowCalls) / Double(calls)
        }
        #expect(shares["ROUND_ROBIN"] == 0.25)
        // One call every 0.5 s: the slow host's 50 ms decays below a fast host's 1 ms after
        // about 39 s (78 calls), so it takes one probe call every 80 or so: 1–3% of the calls.
        let leastRequest = try #require(shares["LEAST_REQUEST"])
        #expect(leastRequest > 0.005 && leastRequest < 0.04, "LEAST_REQUEST sent the slow host \(leastRequest * 100)%")
    }
}
