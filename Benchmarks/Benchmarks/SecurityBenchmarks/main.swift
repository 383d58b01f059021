// Release-mode measurements of mTLS (see run.sh beside this file).
//
//   SecurityBenchmarks certs <dir>                 a development CA and certificates for
//                                                  `server` and `client` under <dir>
//   SecurityBenchmarks serve <dir> <mode> <secs>   a MeshHTTPServer answering ping, with the
//                                                  server certificate under STRICT or DISABLE
//   SecurityBenchmarks invoke <dir> <plaintext port> <mTLS port> [rounds] [milliseconds]
//                                                  invoke throughput, 50 concurrent callers,
//                                                  keep-alive, plaintext and mTLS in alternate
//                                                  rounds (default 40 of 500 ms each)
//   SecurityBenchmarks curl <dir> <plaintext port> <mTLS port> [rounds] [milliseconds]
//                                                  the same with a bare libcurl multi loop in C
//
// Every loop is bounded in time; all traffic stays on loopback.

import CurlBaseline
import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import ServiceLifecycle

let arguments = CommandLine.arguments
func argument(_ index: Int) -> String { index < arguments.count ? arguments[index] : "" }
let directory = URL(fileURLWithPath: argument(2))
func files(_ name: String) -> WorkloadCredentialFiles { WorkloadCredentialFiles(directory: directory.appendingPathComponent(name)) }

// `invoke` and `curl`: <dir> <plaintext port> <mTLS port> [rounds] [milliseconds per round]
let plainPort = Int(argument(3)) ?? 0
let mutualTLSPort = Int(argument(4)) ?? 0
let rounds = Int(argument(5)) ?? 40
let milliseconds = Int(argument(6)) ?? 500

/// Short rounds of plaintext and mTLS, the order swapped each round, so that a change of the
/// machine's speed lands on both sides of a pair: prints the mean rates, the median of the
/// rounds' ratios and the ratio of the mean rates.
func printComparison(
    rounds: Int,
    plaintext: () async throws -> Double,
    mutualTLS: () async throws -> Double
) async rethrows {
    var ratios: [Double] = []
    var plainTotal = 0.0
    var mutualTotal = 0.0
    for round in 0..<rounds {
        var plain = 0.0
        var mutual = 0.0
        if round % 2 == 0 {
            plain = try await plaintext()
            mutual = try await mutualTLS()
        } else {
            mutual = try await mutualTLS()
            plain = try await plaintext()
        }
        ratios.append(mutual / plain)
        plainTotal += plain
        mutualTotal += mutual
    }
    let sorted = ratios.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    print(String(format: "PLAINTEXT %.0f", plainTotal / Double(rounds)))
    print(String(format: "MTLS %.0f", mutualTotal / Double(rounds)))
    print(String(format: "MEDIAN %.3f", median))
    print(String(format: "OVERALL %.3f", mutualTotal / plainTotal))
}

switch argument(1) {
case "certs":
    let ca = try DevelopmentCA.create()
    for name in ["server", "client"] {
        let identity = try SPIFFEID(trustDomain: "cluster.local", namespace: "default", serviceAccount: name == "server" ? "bench" : "caller")
        try ca.issue(for: identity, dnsNames: ["localhost"]).write(to: directory.appendingPathComponent(name), bundle: ca)
    }
case "serve":
    let mesh = try await Mesh(appID: "bench", configuration: MeshConfiguration(network: InProcessNetwork()))
    mesh.handleInvocation("ping") { _ in .text("pong") }
    var configuration = MeshHTTPServer.Configuration(port: 0)
    let mode = PeerAuthenticationMode(rawValue: argument(3)) ?? .strict
    configuration.tls = .init(credentials: try WorkloadCredentialsSource(files: files("server")), mode: mode)
    let server = MeshHTTPServer(mesh: mesh, configuration: configuration)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        print("LISTENING \(try await server.boundPort())")
        fflush(nil)
        try await Task.sleep(for: .seconds(Int(argument(4)) ?? 30))
        group.cancelAll()
    }
case "invoke":
    func transport(port: Int, mutualTLS: Bool) throws -> HTTPInvocationTransport {
        try HTTPInvocationTransport(
            resolver: StaticNameResolver(["bench": [Endpoint(host: "127.0.0.1", port: port)]]),
            configuration: .init(
                attemptTimeout: .seconds(10),
                httpVersion: .http1,
                mutualTLS: mutualTLS ? HTTPInvocationTransport.MutualTLS(credentials: try WorkloadCredentialsSource(files: files("client"))) : nil
            )
        )
    }
    let plaintext = try transport(port: plainPort, mutualTLS: false)
    let overMutualTLS = try transport(port: mutualTLSPort, mutualTLS: true)
    let request = InvocationRequest(appID: "bench", method: "ping", httpMethod: .get)
    /// Requests per second of 50 callers, each keeping its connection alive, for `milliseconds`.
    func rate(_ transport: HTTPInvocationTransport) async throws -> Double {
        let deadline = ContinuousClock.now + .milliseconds(milliseconds)
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    var calls = 0
                    while ContinuousClock.now < deadline {
                        let response = try await transport.invoke(request)
                        precondition(response.status == .ok)
                        calls += 1
                    }
                    return calls
                }
            }
            var total = 0
            for try await calls in group { total += calls }
            return total
        }
        let elapsed = ContinuousClock.now - start
        return Double(total) / (elapsed / .seconds(1))
    }
    for transport in [plaintext, overMutualTLS] {
        for _ in 0..<200 { _ = try await transport.invoke(request) }
    }
    try await printComparison(rounds: rounds, plaintext: { try await rate(plaintext) }, mutualTLS: { try await rate(overMutualTLS) })
    await plaintext.shutdown()
    await overMutualTLS.shutdown()
case "curl":
    // The same comparison for a bare libcurl multi loop in C against the same servers, each loop
    // keeping its 50 transfers and their connections between rounds.
    func loop(port: Int, mutualTLS: Bool) -> OpaquePointer {
        let url = "\(mutualTLS ? "https" : "http")://127.0.0.1:\(port)/v1.0/invoke/bench/method/ping"
        let client = directory.appendingPathComponent("client")
        let made: OpaquePointer? =
            mutualTLS
            ? curl_baseline_loop_create(
                url, 50, client.appendingPathComponent("cert.pem").path, client.appendingPathComponent("key.pem").path,
                client.appendingPathComponent("bundle.pem").path)
            : curl_baseline_loop_create(url, 50, nil, nil, nil)
        guard let made else { fatalError("libcurl could not be set up") }
        return made
    }
    let plaintext = loop(port: plainPort, mutualTLS: false)
    let overMutualTLS = loop(port: mutualTLSPort, mutualTLS: true)
    func rate(_ loop: OpaquePointer) -> Double {
        let start = ContinuousClock.now
        let completed = curl_baseline_loop_run(loop, Double(milliseconds) / 1000)
        let elapsed = ContinuousClock.now - start
        precondition(completed >= 0, "a request of the bare libcurl loop failed")
        return Double(completed) / (elapsed / .seconds(1))
    }
    _ = rate(plaintext)
    _ = rate(overMutualTLS)
    await printComparison(rounds: rounds, plaintext: { rate(plaintext) }, mutualTLS: { rate(overMutualTLS) })
    curl_baseline_loop_destroy(plaintext)
    curl_baseline_loop_destroy(overMutualTLS)
default:
    print("usage: SecurityBenchmarks certs|serve|invoke|curl …")
    exit(2)
}
