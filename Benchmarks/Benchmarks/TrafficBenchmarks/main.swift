// p50 and p99 of `invoke` with one slow peer out of four (50 ms added), LEAST_REQUEST against
// ROUND_ROBIN, in one run: four real product-service processes on loopback, 16 callers. Also
// the calls per second each balancer reached, since the callers spend less time waiting on the
// slow peer when it takes fewer calls, and load the fast ones more.
//
//     TrafficBenchmarks <product-service binary> [calls per balancer, 4000]

import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting

@main
struct TrafficBenchmarks {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            print("usage: TrafficBenchmarks <product-service binary> [calls]")
            exit(2)
        }
        let binary = URL(fileURLWithPath: arguments[1])
        let calls = arguments.count > 2 ? Int(arguments[2]) ?? 4_000 : 4_000
        var peers: [HTTPTestProcess] = []
        for (index, delay) in [0, 0, 0, 50].enumerated() {
            peers.append(
                try await HTTPTestProcess.start(
                    executable: binary,
                    arguments: ["0", "--instance", "peer-\(index)", "--delay-ms", "\(delay)"],
                    readyPattern: #"LISTENING (\d+)"#
                )
            )
        }
        defer { for peer in peers { Task { await peer.kill() } } }
        let endpoints = peers.map { Endpoint(host: "127.0.0.1", port: $0.port) }
        var results: [String: (p50: Duration, p99: Duration, slowShare: Double, perSecond: Double)] = [:]
        for balancer in ["ROUND_ROBIN", "LEAST_REQUEST"] {
            results[balancer] = try await measure(balancer: balancer, endpoints: endpoints, calls: calls)
        }
        for peer in peers { await peer.kill() }
        for balancer in ["ROUND_ROBIN", "LEAST_REQUEST"] {
            guard let result = results[balancer] else { continue }
            print(
                "\(balancer): p50 \(result.p50), p99 \(result.p99), calls to the slow peer \(String(format: "%.1f", result.slowShare * 100))%, \(Int(result.perSecond)) calls/s"
            )
        }
        if let leastRequest = results["LEAST_REQUEST"], let roundRobin = results["ROUND_ROBIN"] {
            let ratio = leastRequest.p99 / roundRobin.p99
            print("p99 LEAST_REQUEST ÷ ROUND_ROBIN = \(String(format: "%.2f", ratio)) (goal ≤ 0.5)")
        }
    }

    static func measure(balancer: String, endpoints: [Endpoint], calls: Int) async throws -> (Duration, Duration, Double, Double) {
        let transport = try HTTPInvocationTransport(resolver: StaticNameResolver(["product-service": endpoints]))
        var configuration = MeshConfiguration()
        configuration.remoteTransport = transport
        configuration.logger.logLevel = .critical
        configuration.resources = try ResourceLoader.parse(
            yaml: """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: { name: product-service }
                spec:
                  host: product-service
                  trafficPolicy: { loadBalancer: { simple: \(balancer) } }
                """,
            file: "bench.yaml"
        )
        let mesh = try await Mesh(appID: "bench-\(balancer)", configuration: configuration)
        let concurrency = 16
        let started = ContinuousClock.now
        let samples = try await withThrowingTaskGroup(of: [(Duration, Bool)].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var samples: [(Duration, Bool)] = []
                    for _ in stride(from: worker, to: calls, by: concurrency) {
                        let start = ContinuousClock.now
                        let response = try await mesh.invoke(appID: "product-service", method: "whoami", httpMethod: .get)
                        samples.append((ContinuousClock.now - start, response.body == Data("peer-3".utf8)))
                    }
                    return samples
                }
            }
            var all: [(Duration, Bool)] = []
            for try await samples in group { all += samples }
            return all
        }
        let elapsed = ContinuousClock.now - started
        await mesh.shutdown()
        await transport.shutdown()
        let sorted = samples.map(\.0).sorted()
        let slow = Double(samples.filter(\.1).count) / Double(samples.count)
        let perSecond = Double(samples.count) / (elapsed / .seconds(1))
        return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 99 / 100)], slow, perSecond)
    }
}
