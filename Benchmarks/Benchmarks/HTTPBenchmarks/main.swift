// Release-mode measurements of MeshKitHTTP (see run.sh beside this file).
//
//   HTTPBenchmarks client <origin> <path>   invoke throughput (50 concurrent) and p50 latency vs a
//                                           bare curl_easy_perform loop, against a plain HTTP server;
//                                           CURL_THREADS=n sets the transport's threads (default 1)
//   HTTPBenchmarks serve <port> <seconds>   a MeshHTTPServer answering /v1.0/invoke/bench/method/ping
//                                           for wrk, for at most <seconds>
//
// Every loop is bounded in count and time; all traffic stays on loopback.

import CurlBaseline
import Foundation
import MeshKit
import MeshKitHTTP

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    print("usage: HTTPBenchmarks client <origin> <path> | serve <port> <seconds>")
    exit(2)
}

switch arguments[1] {
case "client":
    try await client(origin: arguments[2], path: arguments[3])
case "serve":
    try await serve(port: Int(arguments[2]) ?? 0, seconds: Int(arguments[3]) ?? 30)
default:
    print("unknown mode \(arguments[1])")
    exit(2)
}

func client(origin: String, path: String) async throws {
    guard let url = URL(string: origin), let host = url.host, let port = url.port else {
        print("bad origin \(origin)")
        exit(2)
    }
    let method = path.hasPrefix("/") ? String(path.dropFirst()) : path
    let threads = Int(ProcessInfo.processInfo.environment["CURL_THREADS"] ?? "") ?? 1
    print("transport threads: \(threads)")
    let transport = try HTTPInvocationTransport(
        resolver: StaticNameResolver(["static": [Endpoint(host: host, port: port, style: .direct)]]),
        configuration: .init(attemptTimeout: .seconds(10), httpVersion: .http1, threads: threads)
    )
    let mesh = try await Mesh(appID: "bench-client", configuration: MeshConfiguration(network: InProcessNetwork()))
    let remote = try await Mesh(
        appID: "bench-caller",
        configuration: MeshConfiguration(network: InProcessNetwork(), remoteTransport: transport)
    )
    _ = mesh

    // Warm up: open the connections.
    for _ in 0..<200 { _ = try await remote.invoke(appID: "static", method: method, httpMethod: .get) }

    // Throughput: 50 concurrent callers for 5 s (at most 500k calls).
    let concurrency = 50
    let duration = Duration.seconds(5)
    let deadline = ContinuousClock.now + duration
    let start = ContinuousClock.now
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var calls = 0
                while ContinuousClock.now < deadline && calls < 10_000 {
                    let response = try await remote.invoke(appID: "static", method: method, httpMethod: .get)
                    precondition(response.status.code == 200)
                    calls += 1
                }
                return calls
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - start
    let seconds = elapsed / .seconds(1)
    print(String(format: "invoke throughput, %d concurrent: %.0f req/s (%d calls in %.2f s)", concurrency, Double(total) / seconds, total, seconds))
    let multiCalls = curl_baseline_multi_run("\(origin)\(path)", concurrency, 5)
    print(String(format: "bare libcurl multi loop in C, %d concurrent, 1 thread: %.0f req/s", concurrency, Double(multiCalls) / 5))

    // Latency: sequential calls, p50 of invoke vs a bare curl_easy_perform loop.
    let samples = 3000
    var invokeNanos: [UInt64] = []
    invokeNanos.reserveCapacity(samples)
    let latencyDeadline = ContinuousClock.now + .seconds(10)
    for _ in 0..<samples where ContinuousClock.now < latencyDeadline {
        let before = ContinuousClock.now
        _ = try await remote.invoke(appID: "static", method: method, httpMethod: .get)
        let spent = ContinuousClock.now - before
        invokeNanos.append(UInt64(spent / .nanoseconds(1)))
    }
    var bare = [UInt64](repeating: 0, count: samples)
    let completed = curl_baseline_run("\(origin)\(path)", samples, 10, &bare)
    guard completed > 0 else {
        print("the bare curl loop failed")
        exit(1)
    }
    let invokeP50 = percentile(invokeNanos, 0.5)
    let bareP50 = percentile(Array(bare.prefix(completed)), 0.5)
    print(String(format: "p50 latency: invoke %.1f µs, bare curl_easy_perform %.1f µs, added %.1f µs (%.2fx)",
                 invokeP50 / 1000, bareP50 / 1000, (invokeP50 - bareP50) / 1000, invokeP50 / bareP50))
    print(String(format: "p99 latency: invoke %.1f µs, bare %.1f µs", percentile(invokeNanos, 0.99) / 1000, percentile(Array(bare.prefix(completed)), 0.99) / 1000))
    await transport.shutdown()
}

func percentile(_ values: [UInt64], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
}

func serve(port: Int, seconds: Int) async throws {
    let mesh = try await Mesh(appID: "bench", configuration: MeshConfiguration(network: InProcessNetwork()))
    let body = Data("pong pong pong pong pong pong pong pong pong pong\n".utf8)
    mesh.handleInvocation("ping") { _ in InvocationResponse(status: .ok, body: body) }
    let server = MeshHTTPServer(mesh: mesh, configuration: .init(host: "127.0.0.1", port: port))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await server.run() }
        let bound = try await server.boundPort()
        FileHandle.standardOutput.write(Data("LISTENING \(bound)\n".utf8))
        try await Task.sleep(for: .seconds(seconds))
        tasks.cancelAll()
    }
}
