import Foundation
import Logging
import MeshKit
import MeshKitHTTP
import MeshKitTestSupport
import MeshKitTesting
import ServiceLifecycle
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A graceful shutdown drains within its grace period; cancellation stops everything at once.
@Suite struct ServerShutdownTests {
    static let margin = Duration.seconds(2)

    /// A mesh whose `held/{id}` handler waits at `gate` until the test releases it.
    static func heldMesh(_ gate: HandlerGate) async throws -> Mesh {
        let mesh = try await Mesh(appID: "product-service", configuration: .testing())
        mesh.handleInvocation("held/{id}") { request in
            let id = request.pathParameters["id"] ?? ""
            try await gate.enter(id)
            return .text("released \(id)")
        }
        return mesh
    }

    static func heldRequest(_ id: String, keepAlive: Bool = false) -> String {
        "GET /v1.0/invoke/product-service/method/held/\(id) HTTP/1.1\r\nHost: x\r\n\(keepAlive ? "" : "Connection: close\r\n")\r\n"
    }

    @Test("SIGTERM with a handler in flight that would run a minute: product-service waits out its grace period, then exits")
    func sigtermExitsWithinGracePeriod() async throws {
        let grace = Duration.seconds(1)
        let peer = try await HTTPTestProcess.start(
            executable: try Peers.productServiceBinary(),
            arguments: ["0", "--shutdown-grace-ms", "1000", "--sleep-route"],
            readyPattern: #"LISTENING (\d+)"#
        )
        try await peer.withRunning { peer in
            let socket = try await blocking { try LoopbackSocket.connect(port: peer.port, receiveTimeout: .seconds(10)) }
            defer { close(socket) }
            LoopbackSocket.send(socket, Array("GET /v1.0/invoke/product-service/method/sleep/60000 HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            // The server answers another connection meanwhile: it has read the first request.
            let health = try await LoopbackSocket.exchange(
                port: peer.port,
                "GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            #expect(health.hasPrefix("HTTP/1.1 204"))
            try await Task.sleep(for: .milliseconds(200))
            let start = ContinuousClock.now
            let exitedOnItsOwn = await peer.stop(grace: .seconds(20))
            let took = ContinuousClock.now - start
            #expect(exitedOnItsOwn, "product-service had to be killed")
            #expect(took < grace + Self.margin, "product-service took \(took) to exit")
            #expect(took >= grace - .milliseconds(100), "the request in flight did not get its grace period: exit after \(took)")
            let answer = try await blocking { LoopbackSocket.receiveAll(socket) }
            #expect(!answer.hasPrefix("HTTP/1.1 200"), "the cancelled handler answered \(answer)")
        }
    }

    @Test("a graceful shutdown stops accepting, and a request in flight that finishes within the grace period is answered")
    func gracefulShutdownAnswersRequestsInFlight() async throws {
        let gate = HandlerGate()
        let mesh = try await Self.heldMesh(gate)
        try await withGracefullyStoppableServer(mesh: mesh, configuration: .init(shutdownGracePeriod: .seconds(30))) { port, shutDown in
            let inFlight = Task {
                try await LoopbackSocket.exchange(port: port, Self.heldRequest("a", keepAlive: true), receiveTimeout: .seconds(20))
            }
            try await eventually("the handler started") { gate.started == ["a"] }
            let stopping = Task { try await shutDown() }
            try await eventually("the server stopped accepting") {
                (try? await blocking { close(try LoopbackSocket.connect(port: port)) }) == nil
            }
            gate.release("a")
            let answer = try await inFlight.value
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            #expect(answer.lowercased().contains("connection: close"))
            #expect(answer.hasSuffix("released a"))
            #expect(try await stopping.value < .seconds(20))
        }
    }

    @Test("a client with an unfinished chunked body cannot hold a graceful shutdown past the grace period")
    func stalledBodyCannotHoldShutdown() async throws {
        let mesh = try await productMesh()
        let grace = Duration.seconds(1)
        let configuration = MeshHTTPServer.Configuration(bodyTimeout: .seconds(60), shutdownGracePeriod: grace)
        try await withGracefullyStoppableServer(mesh: mesh, configuration: configuration) { port, shutDown in
            let socket = try await blocking { try LoopbackSocket.connect(port: port, receiveTimeout: .seconds(10)) }
            defer { close(socket) }
            LoopbackSocket.send(
                socket,
                Array(
                    "POST /v1.0/invoke/product-service/method/products/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                        .utf8
                )
            )
            try await Task.sleep(for: .milliseconds(200))
            let took = try await shutDown()
            #expect(took < grace + Self.margin, "run() took \(took) to return")
            #expect(try await blocking { LoopbackSocket.receiveAll(socket) }.isEmpty)
        }
    }

    @Test("cancelling run() cancels the handlers in flight and closes their connections at once, whatever the grace period")
    func cancellationStopsEverythingAtOnce() async throws {
        let cancelled = Counter()
        let gate = HandlerGate()
        let mesh = try await Mesh(appID: "product-service", configuration: .testing())
        mesh.handleInvocation("held/{id}") { request in
            do {
                try await gate.enter(request.pathParameters["id"] ?? "")
            } catch {
                cancelled.increment()
                throw error
            }
            return .text("released")
        }
        let server = MeshHTTPServer(mesh: mesh, configuration: .init(port: 0, shutdownGracePeriod: .seconds(60)))
        let running = Task { try await server.run() }
        let port = try await server.boundPort()
        let inFlight = Task { try await LoopbackSocket.exchange(port: port, Self.heldRequest("a"), receiveTimeout: .seconds(20)) }
        try await eventually("the handler started") { gate.started == ["a"] }
        let start = ContinuousClock.now
        running.cancel()
        try await running.value
        let took = ContinuousClock.now - start
        #expect(took < Self.margin, "run() took \(took) to return")
        #expect(cancelled.value == 1)
        #expect(!(try await inFlight.value).hasPrefix("HTTP/1.1 200"))
    }

    @Test("connections that arrive as run() is cancelled or shuts down gracefully are closed, and never crash the process")
    func connectionsArrivingDuringShutdownAreClosed() async throws {
        let mesh = try await productMesh()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        for round in 0..<20 {
            let server = MeshHTTPServer(mesh: mesh, configuration: .init(port: 0))
            let group = ServiceGroup(services: [server], logger: logger)
            let running = Task { try await group.run() }
            let port = try await server.boundPort()
            let sockets = try await blocking {
                try (0..<32).map { _ in try LoopbackSocket.connect(port: port, receiveTimeout: .seconds(5)) }
            }
            defer { sockets.forEach { close($0) } }
            if round.isMultiple(of: 2) {
                running.cancel()
            } else {
                await group.triggerGracefulShutdown()
            }
            _ = try? await running.value
            let start = ContinuousClock.now
            let answers = try await blocking { sockets.map { LoopbackSocket.receive($0) } }
            #expect(answers.allSatisfy { $0 == nil })
            #expect(ContinuousClock.now - start < .seconds(4), "round \(round): a connection was left open")
        }
    }
}
