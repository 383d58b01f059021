import Foundation
import InMemoryLogging
import Logging
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a remote caller learns when a handler fails: Dapr's error JSON, never internal detail.
@Suite struct ServerErrorResponseTests {
    struct DaprError: Decodable {
        var errorCode: String
        var message: String
    }

    /// An error type whose description would reveal a path and its own name.
    struct LedgerFileCorrupted: Error, CustomStringConvertible {
        var description: String { "LedgerFileCorrupted(path: /srv/ledger/orders.db)" }
    }

    /// The status line and the Dapr error of a raw answer.
    static func daprError(_ answer: String) throws -> (status: String, error: DaprError, raw: String) {
        let parts = answer.components(separatedBy: "\r\n\r\n")
        let status = parts[0].components(separatedBy: "\r\n")[0]
        #expect(parts[0].lowercased().contains("content-type: application/json"))
        return (status, try JSONDecoder().decode(DaprError.self, from: Data(parts.dropFirst().joined(separator: "\r\n\r\n").utf8)), answer)
    }

    static func request(_ method: String, body: String = "", headers: String = "") -> String {
        "POST /v1.0/invoke/product-service/method/\(method) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\(headers)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test(
        "a handler's error reaches the caller as Dapr's error JSON without type names, paths or underlying errors, and is logged in full at error level with its trace ID"
    )
    func errorsCarryNoInternalDetail() async throws {
        let logs = InMemoryLogHandler()
        var configuration = MeshConfiguration.testing()
        configuration.logger = Logger(label: "test") { _ in logs }
        configuration.logger.logLevel = .debug
        let mesh = try await Mesh(appID: "product-service", configuration: configuration)
        mesh.handleInvocation("save") { _ in
            throw MeshError(
                .stateSave,
                "saving the order failed",
                context: .init(file: "/etc/meshkit/components/statestore.yaml", line: 3, component: "statestore"),
                underlying: LedgerFileCorrupted()
            )
        }
        mesh.handleInvocation("crash") { _ in throw LedgerFileCorrupted() }
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await withServer(mesh: mesh) { port in
            for method in ["save", "crash"] {
                let answer = try await LoopbackSocket.exchange(
                    port: port,
                    Self.request(method, headers: "traceparent: 00-\(traceID)-00f067aa0ba902b7-01\r\n")
                )
                let (status, error, raw) = try Self.daprError(answer)
                #expect(status == "HTTP/1.1 500 Internal Server Error")
                #expect(error.errorCode == (method == "save" ? "ERR_STATE_SAVE" : "ERR_DIRECT_INVOKE"))
                #expect(error.message.contains(traceID), "the message names the trace ID to look up: \(error.message)")
                for secret in ["/etc/", "/srv/", "statestore.yaml", "LedgerFileCorrupted", "underlying", "MeshError"] {
                    #expect(!raw.contains(secret), "the answer reveals '\(secret)': \(raw)")
                }
            }
        }
        let logged = logs.entries.filter { $0.level == .error }
        #expect(logged.count == 2)
        for entry in logged {
            #expect(entry.metadata["trace_id"] == "\(traceID)")
            #expect("\(entry.metadata["error"] ?? "")".contains("/srv/ledger/orders.db"))
        }
    }

    @Test("a body the handler cannot decode is 400 ERR_MALFORMED_REQUEST saying where, not 500")
    func undecodableBodyIs400() async throws {
        struct Order: Decodable {
            var id: String
            var quantity: Int
        }
        let mesh = try await Mesh(appID: "product-service", configuration: .testing())
        mesh.handleInvocation("orders") { request in
            let order: Order = try request.decode()
            return .text("order \(order.id)")
        }
        try await withServer(mesh: mesh) { port in
            let wrongType = try Self.daprError(
                try await LoopbackSocket.exchange(port: port, Self.request("orders", body: #"{"id": "7", "quantity": "two"}"#))
            )
            #expect(wrongType.status == "HTTP/1.1 400 Bad Request")
            #expect(wrongType.error.errorCode == "ERR_MALFORMED_REQUEST")
            #expect(wrongType.error.message.contains("'quantity'"), "\(wrongType.error.message)")
            #expect(!wrongType.error.message.contains("Int"), "\(wrongType.error.message)")
            let notJSON = try Self.daprError(try await LoopbackSocket.exchange(port: port, Self.request("orders", body: "id=7")))
            #expect(notJSON.status == "HTTP/1.1 400 Bad Request")
            #expect(notJSON.error.errorCode == "ERR_MALFORMED_REQUEST")
            let valid = try await LoopbackSocket.exchange(port: port, Self.request("orders", body: #"{"id": "7", "quantity": 2}"#))
            #expect(valid.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test("a handler whose downstream call fails answers 5xx, never a 404 of the caller's route; the server's own routing keeps 404")
    func downstreamFailuresAreNot404() async throws {
        let (listener, closedPort) = try LoopbackSocket.listen()
        close(listener)
        let (mesh, _) = try await Peers.caller(
            appID: "product-service",
            endpoints: ["inventory": [Endpoint(host: "127.0.0.1", port: closedPort)]]
        )
        for app in ["inventory", "nowhere"] {
            mesh.handleInvocation("via/\(app)") { _ in
                try await mesh.invoke(appID: app, method: "stock", httpMethod: .get)
            }
        }
        try await withServer(mesh: mesh) { port in
            let unreachable = try Self.daprError(try await LoopbackSocket.exchange(port: port, Self.request("via/inventory")))
            #expect(unreachable.status == "HTTP/1.1 503 Service Unavailable")
            #expect(unreachable.error.errorCode == "ERR_CONNECT")
            #expect(!unreachable.raw.contains("\(closedPort)"), "the answer reveals the downstream address: \(unreachable.raw)")
            let unknown = try Self.daprError(try await LoopbackSocket.exchange(port: port, Self.request("via/nowhere")))
            #expect(unknown.status == "HTTP/1.1 500 Internal Server Error")
            #expect(unknown.error.errorCode == "ERR_DIRECT_INVOKE")
            let wrongApp = try await LoopbackSocket.exchange(
                port: port,
                "GET /v1.0/invoke/billing/method/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            #expect(wrongApp.hasPrefix("HTTP/1.1 404"))
            let noMethod = try await LoopbackSocket.exchange(port: port, Self.request("missing"))
            #expect(noMethod.hasPrefix("HTTP/1.1 404"))
        }
    }
}
