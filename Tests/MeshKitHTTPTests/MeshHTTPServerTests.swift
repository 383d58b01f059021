import Foundation
import Logging
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import ServiceLifecycle
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a MeshHTTPServer for `mesh` on a loopback port (an ephemeral one unless `port` is given)
/// for the duration of `body`, and runs the mesh too (so the server reports ready) unless it
/// already runs; the mesh is shut down afterwards in that case.
func withServer<T: Sendable>(
    mesh: Mesh,
    configuration: MeshHTTPServer.Configuration = .init(port: 0),
    port: Int = 0,
    _ body: @Sendable (Int) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = port
    let server = MeshHTTPServer(mesh: mesh, configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        if mesh.phase == .starting { group.addTask { try await mesh.run() } }
        group.addTask { try await server.run() }
        defer { group.cancelAll() }
        let port = try await server.boundPort()
        try await eventually("the mesh runs") { mesh.phase != .starting }
        return try await body(port)
    }
}

func productMesh() async throws -> Mesh {
    let mesh = try await Mesh(appID: "product-service", configuration: .testing())
    mesh.handleInvocation("products/{id}") { request in
        .text(
            "product \(request.pathParameters["id"] ?? "?") \(request.query.first?.value ?? "") \(String(decoding: request.body, as: UTF8.self))"
        )
    }
    return mesh
}

@Suite struct MeshHTTPServerTests {
    @Test func answersHealthAndInvocations() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh) { port in
            let health = try await LoopbackSocket.exchange(port: port, "GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(health.hasPrefix("HTTP/1.1 204"))
            let invoke = try await LoopbackSocket.exchange(
                port: port,
                "POST /v1.0/invoke/product-service/method/products/42?color=red HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"
            )
            #expect(invoke.hasPrefix("HTTP/1.1 200"))
            #expect(invoke.hasSuffix("product 42 red body"))
        }
    }

    @Test func keepsConnectionsAlive() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh) { port in
            let answers = try await blocking {
                let socket = try LoopbackSocket.connect(port: port)
                defer { close(socket) }
                return (1...3).map { id in
                    LoopbackSocket.send(
                        socket,
                        Array("GET /v1.0/invoke/product-service/method/products/\(id) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
                    )
                    return String(decoding: LoopbackSocket.receive(socket) ?? [], as: UTF8.self)
                }
            }
            for (index, answer) in answers.enumerated() {
                #expect(answer.hasPrefix("HTTP/1.1 200"))
                #expect(answer.contains("product \(index + 1)"))
            }
        }
    }

    @Test("an HTTP/1.0 client that asks for keep-alive is told so, and its connection stays open")
    func keepsHTTP10ConnectionsAliveWhenAsked() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh) { port in
            let answers = try await blocking {
                let socket = try LoopbackSocket.connect(port: port)
                defer { close(socket) }
                return (1...2).map { id in
                    LoopbackSocket.send(
                        socket,
                        Array("GET /v1.0/invoke/product-service/method/products/\(id) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8)
                    )
                    return String(decoding: LoopbackSocket.receive(socket) ?? [], as: UTF8.self)
                }
            }
            for (index, answer) in answers.enumerated() {
                #expect(answer.hasPrefix("HTTP/1.0 200"))
                #expect(answer.lowercased().contains("connection: keep-alive"))
                #expect(answer.contains("product \(index + 1)"))
            }
        }
    }

    @Test func anotherAppIDIsNotFound() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh) { port in
            let answer = try await LoopbackSocket.exchange(
                port: port,
                "GET /v1.0/invoke/billing/method/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            #expect(answer.hasPrefix("HTTP/1.1 404"))
            #expect(answer.contains("app ID 'billing' is not served here; this server serves 'product-service'"))
            // A path of Dapr's API that MeshKit does not serve (`/products/1` would be the app's own method).
            let other = try await LoopbackSocket.exchange(port: port, "GET /v1.0/metadata HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(other.hasPrefix("HTTP/1.1 404"))
        }
    }

    @Test func oversizedBodyGets413() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh, configuration: .init(maxBodySize: 1024)) { port in
            let declared = try await LoopbackSocket.exchange(
                port: port,
                "POST /v1.0/invoke/product-service/method/products/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
            )
            #expect(declared.hasPrefix("HTTP/1.1 413"))
            let chunk = String(repeating: "a", count: 800)
            let chunked = try await LoopbackSocket.exchange(
                port: port,
                "POST /v1.0/invoke/product-service/method/products/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n"
            )
            #expect(chunked.hasPrefix("HTTP/1.1 413"))
            // The server still answers afterwards.
            let health = try await LoopbackSocket.exchange(port: port, "GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(health.hasPrefix("HTTP/1.1 204"))
        }
    }

    @Test("timeouts past 292 years (Int64 nanoseconds) are taken as that long, not a trap")
    func hugeTimeouts() async throws {
        let mesh = try await productMesh()
        let forever = Duration.seconds(Int64.max)
        let configuration = MeshHTTPServer.Configuration(headerTimeout: forever, idleTimeout: forever, bodyTimeout: forever)
        try await withServer(mesh: mesh, configuration: configuration) { port in
            let health = try await LoopbackSocket.exchange(port: port, "GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(health.hasPrefix("HTTP/1.1 204"))
        }
    }

    @Test func oversizedHeadersGet431() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh, configuration: .init(maxHeaderSize: 2048)) { port in
            let big = String(repeating: "v", count: 4096)
            let answer = try await LoopbackSocket.exchange(port: port, "GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 431"))
            let many = (0..<100).map { "X-H\($0): \(String(repeating: "v", count: 30))\r\n" }.joined()
            let spread = try await LoopbackSocket.exchange(port: port, "GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\n\(many)\r\n")
            #expect(spread.hasPrefix("HTTP/1.1 431"))
        }
    }

    @Test func malformedRequestGets400() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh) { port in
            let garbage = try await LoopbackSocket.exchange(port: port, "THIS IS NOT HTTP\r\n\r\n")
            #expect(garbage.hasPrefix("HTTP/1.1 400"))
            let badLength = try await LoopbackSocket.exchange(
                port: port,
                "POST /v1.0/healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
            )
            #expect(badLength.hasPrefix("HTTP/1.1 400"))
            let health = try await LoopbackSocket.exchange(port: port, "GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(health.hasPrefix("HTTP/1.1 204"))
        }
    }

    @Test func slowHeadersAreCutOff() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh, configuration: .init(headerTimeout: .milliseconds(200))) { port in
            let (received, waited) = try await blocking {
                let socket = try LoopbackSocket.connect(port: port, receiveTimeout: .seconds(3))
                defer { close(socket) }
                LoopbackSocket.send(socket, Array("GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8))
                let start = ContinuousClock.now
                let received = LoopbackSocket.receiveAll(socket)
                return (received, ContinuousClock.now - start)
            }
            #expect(received.isEmpty)
            #expect(waited < .seconds(5), "the server closed the connection after \(waited)")
        }
    }

    @Test func gracefulShutdownEndsRun() async throws {
        let mesh = try await productMesh()
        let server = MeshHTTPServer(mesh: mesh, configuration: .init(port: 0))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.boundPort()
            let socket = try await blocking { try LoopbackSocket.connect(port: port) }
            defer { close(socket) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(try await blocking { LoopbackSocket.receive(socket) } == nil)
        }
    }
}
