import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import MetricsTestKit
import Testing

/// Outlier detection, retries across endpoints and connection-pool limits, against real
/// product-service processes.
@Suite("endpoint resilience across real processes")
struct EndpointResilienceTests {
    static func rule(_ trafficPolicy: String) throws -> ResourceSet {
        try TrafficFixtures.parse(
            """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: { name: product-service }
            spec:
              host: product-service
              trafficPolicy:
            \(trafficPolicy.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        )
    }

    @Test("a peer that answers 503 five times in a row is ejected for baseEjectionTime, then returns")
    func ejectionAndReturn() async throws {
        let members: [ProductFleet.Member] = [
            .init(name: "good-1"), .init(name: "good-2"), .init(name: "good-3"),
            .init(name: "bad", extraArguments: ["--fail-first", "5"]),
        ]
        try await ProductFleet.run(members) { fleet in
            let clock = ManualClock()
            let resources = try Self.rule(
                """
                loadBalancer: { simple: ROUND_ROBIN }
                outlierDetection: { consecutive5xxErrors: 5, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 50 }
                """
            )
            let metrics = TestMetrics()
            let (mesh, transport) = try await fleet.caller(
                resources: resources,
                monotonicClock: clock.monotonicClock,
                metricsFactory: metrics
            )
            // Round robin over four: twenty calls give the bad peer its five failures.
            var failures = 0
            for _ in 0..<20 where try await mesh.whoami().status == 503 { failures += 1 }
            #expect(failures == 5)
            let ejected = await mesh.whoamiCounts(60, concurrency: 1)
            #expect(ejected["bad"] == nil, "an ejected peer takes no calls: \(ejected)")
            #expect(ejected.values.reduce(0, +) == 60)
            #expect(try metrics.expectCounter("meshkit.outlier.ejections", [("target", "app:product-service")]).totalValue == 1)

            clock.advance(by: 31)
            let returned = await mesh.whoamiCounts(40, concurrency: 1)
            #expect(returned["bad"] == 10, "after baseEjectionTime the peer is back, and healthy: \(returned)")
            await transport.shutdown()
        }
    }

    @Test("no more than maxEjectionPercent of the hosts are ever ejected")
    func ejectionCap() async throws {
        let members: [ProductFleet.Member] = [
            .init(name: "good-1"), .init(name: "good-2"),
            .init(name: "bad-1", extraArguments: ["--fail-first", "1000"]),
            .init(name: "bad-2", extraArguments: ["--fail-first", "1000"]),
        ]
        try await ProductFleet.run(members) { fleet in
            let resources = try Self.rule(
                """
                loadBalancer: { simple: ROUND_ROBIN }
                outlierDetection: { consecutive5xxErrors: 3, interval: 10s, baseEjectionTime: 60s, maxEjectionPercent: 25 }
                """
            )
            let (mesh, transport) = try await fleet.caller(resources: resources)
            let counts = await mesh.whoamiCounts(200, concurrency: 1)
            // One of the two bad peers is ejected; the other keeps answering 503, since ejecting
            // it too would take half the hosts out.
            #expect((counts["status 503"] ?? 0) > 50, "\(counts)")
            #expect(counts["good-1"] != nil && counts["good-2"] != nil)
            await transport.shutdown()
        }
    }

    @Test("a peer killed mid-run: retries land on the others, and no call fails while a healthy peer is left")
    func killedPeer() async throws {
        let members: [ProductFleet.Member] = [.init(name: "a"), .init(name: "b"), .init(name: "doomed")]
        try await ProductFleet.run(members) { fleet in
            // Retries are bounded by the retry budget (20% of calls), so outlier detection takes
            // the dead peer out after its first refused connections, as an Istio user sets it up.
            var resources = try Self.rule(
                """
                loadBalancer: { simple: ROUND_ROBIN }
                outlierDetection: { consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 50 }
                """
            )
            resources.merge(
                try TrafficFixtures.parse(
                    """
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: { name: product-service }
                    spec:
                      hosts: [product-service]
                      http:
                        - route: [{ destination: { host: product-service } }]
                          retries: { attempts: 3, perTryTimeout: 2s, retryOn: "connect-failure,reset,5xx" }
                    """
                )
            )
            let (mesh, transport) = try await fleet.caller(resources: resources)
            async let counts = mesh.whoamiCounts(600, concurrency: 4)
            try await Task.sleep(for: .milliseconds(150))
            await fleet.process("doomed")?.kill()
            let result = await counts
            #expect(result.values.reduce(0, +) == 600)
            #expect(Set(result.keys).isSubset(of: ["a", "b", "doomed"]), "no call failed: \(result)")
            let afterwards = await mesh.whoamiCounts(60, concurrency: 2)
            #expect(Set(afterwards.keys) == ["a", "b"], "\(afterwards)")
            await transport.shutdown()
        }
    }

    @Test("one slow peer (50 ms): LEAST_REQUEST sends it fewer calls than ROUND_ROBIN does")
    func leastRequestAvoidsTheSlowPeer() async throws {
        let members: [ProductFleet.Member] = [
            .init(name: "fast-1"), .init(name: "fast-2"), .init(name: "fast-3"),
            .init(name: "slow", extraArguments: ["--delay-ms", "50"]),
        ]
        try await ProductFleet.run(members) { fleet in
            let (leastRequest, transport1) = try await fleet.caller(resources: try Self.rule("loadBalancer: { simple: LEAST_REQUEST }"))
            let (roundRobin, transport2) = try await fleet.caller(resources: try Self.rule("loadBalancer: { simple: ROUND_ROBIN }"))
            let balanced = await leastRequest.whoamiCounts(800, concurrency: 16)
            let turns = await roundRobin.whoamiCounts(800, concurrency: 16)
            #expect(turns["slow"] == 200, "round robin gives every peer its turn: \(turns)")
            // Round robin gives the slow peer a quarter; least request, fewer (about a twentieth on
            // a quiet machine, more when the suite loads the cores and the fast peers slow down too).
            #expect((balanced["slow"] ?? 0) < 200, "least request moves load away from the slow peer: \(balanced)")
            #expect(balanced.values.reduce(0, +) == 800)
            await transport1.shutdown()
            await transport2.shutdown()
        }
    }

    @Test("more concurrent calls than maxConnections + http1MaxPendingRequests allow fail fast with tooManyRequests; the rest succeed")
    func poolOverflow() async throws {
        try await ProductFleet.run([.init(name: "slow", extraArguments: ["--delay-ms", "500"])]) { fleet in
            let resources = try Self.rule(
                """
                connectionPool:
                  tcp: { maxConnections: 2 }
                  http: { http1MaxPendingRequests: 3 }
                """
            )
            let metrics = TestMetrics()
            let (mesh, transport) = try await fleet.caller(resources: resources, metricsFactory: metrics)
            let start = ContinuousClock.now
            let outcomes = await withTaskGroup(of: (String, Duration).self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        do {
                            let (status, _) = try await mesh.whoami()
                            return ("status \(status)", ContinuousClock.now - start)
                        } catch {
                            return ("error \((error as? MeshError)?.code.description ?? "\(error)")", ContinuousClock.now - start)
                        }
                    }
                }
                var outcomes: [(String, Duration)] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let succeeded = outcomes.filter { $0.0 == "status 200" }
            let refused = outcomes.filter { $0.0 == "error \(MeshError.Code.tooManyRequests.description)" }
            #expect(succeeded.count == 5, "two in flight and three waiting: \(outcomes)")
            #expect(refused.count == 5, "\(outcomes)")
            #expect(refused.allSatisfy { $0.1 < .milliseconds(400) }, "the overflow failed before any call finished: \(outcomes)")
            #expect(try metrics.expectCounter("meshkit.connection_pool.overflow", [("target", "app:product-service")]).totalValue == 5)
            await transport.shutdown()
        }
    }
}
