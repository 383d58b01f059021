import Foundation
import InMemoryLogging
import Logging
import MeshKit
import MeshKitTesting
import Testing

@testable import MeshKitHTTP

/// The inbound server consults the mesh's Authorizer before the handler: the seed's policy
/// through a real server and curl, with the identity hook standing for a verified certificate.
@Suite("Server Authorization: 403 RBAC: access denied, API tokens, no secret in logs")
struct ServerAuthorizationTests {
    static let seedFolder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/seed-istio/authorizationpolicy.yaml").path
    }()

    static func seedMesh(logger: Logger? = nil) async throws -> Mesh {
        var configuration = MeshConfiguration.testing(resources: try ResourceLoader.load(file: seedFolder))
        configuration.namespace = "my-app"
        if let logger { configuration.logger = logger }
        let mesh = try await Mesh(appID: "product-service", configuration: configuration)
        mesh.handleInvocation("api/products/{id}") { _ in .text("product") }
        mesh.handleInvocation("health/{probe}") { _ in .text("healthy") }
        mesh.handleInvocation("admin") { _ in .text("admin") }
        return mesh
    }

    /// Status and body of a curl call.
    static func curl(_ arguments: [String]) async throws -> (status: Int, body: String) {
        let output = try await TestCommand.run("/usr/bin/curl", ["-s", "--path-as-is", "-w", "\n%{http_code}"] + arguments)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    @Test(
        "the seed's policy through a real server: order-service may GET and POST /api/products/*, anyone GET /health/*, the rest 403",
        arguments: [
            ("spiffe://cluster.local/ns/my-app/sa/order-service", "GET", "api/products/1", 200),
            ("spiffe://cluster.local/ns/my-app/sa/order-service", "POST", "api/products/1", 200),
            ("spiffe://cluster.local/ns/my-app/sa/order-service", "DELETE", "api/products/1", 403),
            ("spiffe://cluster.local/ns/my-app/sa/order-service", "GET", "api/products/../admin", 403),
            ("spiffe://cluster.local/ns/my-app/sa/order-service", "GET", "api/products/%2e%2e/admin", 403),
            ("spiffe://cluster.local/ns/my-app/sa/order-service", "GET", "API/products/1", 403),
            ("spiffe://cluster.local/ns/my-app/sa/payment-service", "GET", "api/products/1", 403),
            ("", "GET", "api/products/1", 403),
            ("", "GET", "health/live", 200),
            ("", "GET", "admin", 403),
        ] as [(String, String, String, Int)]
    )
    func seedThroughServer(spiffeID: String, method: String, path: String, status: Int) async throws {
        let mesh = try await Self.seedMesh()
        var configuration = MeshHTTPServer.Configuration(port: 0)
        configuration.peerIdentity = { _ in spiffeID.isEmpty ? nil : spiffeID }
        try await withServer(mesh: mesh, configuration: configuration) { port in
            let answer = try await Self.curl(["-X", method, "http://127.0.0.1:\(port)/v1.0/invoke/product-service/method/\(path)"])
            #expect(answer.status == status)
            if status == 403 { #expect(answer.body == "RBAC: access denied") }
        }
    }

    @Test("a caller cannot claim an identity with a header: dapr-caller-app-id and x-forwarded-client-cert are not identities")
    func headersAreNotIdentities() async throws {
        let mesh = try await Self.seedMesh()
        try await withServer(mesh: mesh) { port in
            let answer = try await Self.curl([
                "-H", "dapr-caller-app-id: order-service",
                "-H", "x-forwarded-client-cert: URI=spiffe://cluster.local/ns/my-app/sa/order-service",
                "http://127.0.0.1:\(port)/v1.0/invoke/product-service/method/api/products/1",
            ])
            #expect(answer.status == 403)
        }
    }

    @Test("with an API token, calls without it get 401 and health checks need none; the token never reaches the handler or the logs")
    func apiTokenNeverLogged() async throws {
        let secret = "tok-\(UUID().uuidString)"
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .trace
        var meshConfiguration = MeshConfiguration.testing()
        meshConfiguration.logger = logger
        let mesh = try await Mesh(appID: "product-service", configuration: meshConfiguration)
        mesh.handleInvocation("echo") { request in
            .text(request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n"))
        }
        var configuration = MeshHTTPServer.Configuration(port: 0)
        configuration.apiToken = APIToken(secret)
        let server = MeshHTTPServer(mesh: mesh, configuration: configuration, logger: logger)
        // The mesh runs, so that the health check is ready.
        let runner = Task { try await mesh.run() }
        defer { runner.cancel() }
        try await eventually("the mesh runs") { mesh.phase != .starting }
        try await withRunningServer(server) { port in
            let url = "http://127.0.0.1:\(port)/v1.0/invoke/product-service/method/echo"
            #expect(try await Self.curl([url]).status == 401)
            #expect(try await Self.curl(["-H", "dapr-api-token: wrong", url]).status == 401)
            #expect(try await Self.curl(["http://127.0.0.1:\(port)/v1.0/healthz"]).status == 204)
            let accepted = try await Self.curl(["-H", "dapr-api-token: \(secret)", url])
            #expect(accepted.status == 200)
            #expect(!accepted.body.contains(secret), "the handler never sees the token")
            // The client sends the token it is configured with.
            let transport = try HTTPInvocationTransport(resolver: StaticNameResolver([:]), configuration: .init(apiToken: APIToken(secret)))
            defer { Task { await transport.shutdown() } }
            let reply = try await transport.invoke(
                InvocationRequest(appID: "product-service", method: "echo", httpMethod: .get),
                at: Endpoint(host: "127.0.0.1", port: port)
            )
            #expect(reply.status == .ok)
        }
        let logged = logs.entries.map { "\($0.message) \($0.metadata) \($0.error.map { "\($0)" } ?? "")" }.joined(separator: "\n")
        #expect(!logs.entries.isEmpty)
        #expect(!logged.contains(secret), "the token appears in the logs")
    }

    /// Runs `server` until `body` returns.
    func withRunningServer<T: Sendable>(_ server: MeshHTTPServer, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            return try await body(try await server.boundPort())
        }
    }
}
