// Release-mode measurements of mTLS (see run.sh beside this file).
//
//   SecurityBenchmarks certs <dir>                 a development CA and certificates for
//                                                  `server` and `client` under <dir>
//   SecurityBenchmarks serve <dir> <mode> <secs>   a MeshHTTPServer answering ping, with the
//                                                  server certificate under STRICT or DISABLE
//   SecurityBenchmarks invoke <dir> <port> <tls>   invoke throughput, 50 concurrent callers,
//                                                  keep-alive, plaintext or mTLS (tls = 0 or 1)
//
// Every loop is bounded in time; all traffic stays on loopback.

import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import ServiceLifecycle

let arguments = CommandLine.arguments
func argument(_ index: Int) -> String { index < arguments.count ? arguments[index] : "" }
let directory = URL(fileURLWithPath: argument(2))
func files(_ name: String) -> WorkloadCredentialFiles { WorkloadCredentialFiles(directory: directory.appendingPathComponent(name)) }

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
    let port = Int(argument(3)) ?? 0
    let mutualTLS = argument(4) == "1" ? HTTPInvocationTransport.MutualTLS(credentials: try WorkloadCredentialsSource(files: files("client"))) : nil
    let transport = try HTTPInvocationTransport(
        resolver: StaticNameResolver(["bench": [Endpoint(host: "127.0.0.1", port: port)]]),
        configuration: .init(attemptTimeout: .seconds(10), httpVersion: .http1, mutualTLS: mutualTLS)
    )
    let request = InvocationRequest(appID: "bench", method: "ping", httpMethod: .get)
    for _ in 0..<200 { _ = try await transport.invoke(request) }
    let deadline = ContinuousClock.now + .seconds(5)
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
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "RATE %.0f", Double(total) / seconds))
    await transport.shutdown()
default:
    print("usage: SecurityBenchmarks certs|serve|invoke …")
    exit(2)
}
