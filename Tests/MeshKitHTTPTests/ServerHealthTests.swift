import Foundation
import Logging
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import ServiceLifecycle
import Testing

/// `/v1.0/healthz` and `/v1.0/healthz/outbound` answer as a Dapr sidecar's do
/// (dapr/dapr `pkg/api/http/healthz.go`): 204 when ready, 500 with Dapr's error JSON when not.
@Suite struct ServerHealthTests {
    static func get(_ port: Int, _ path: String, method: String = "GET") async throws -> String {
        try await LoopbackSocket.exchange(port: port, "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    }

    @Test("not ready before the mesh runs (outbound is), ready while it runs, neither once it shuts down")
    func readinessFollowsTheMesh() async throws {
        let mesh = try await productMesh()
        let server = MeshHTTPServer(mesh: mesh, configuration: .init(port: 0))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let meshGroup = ServiceGroup(services: [mesh], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await server.run() }
            defer { tasks.cancelAll() }
            let port = try await server.boundPort()

            let starting = try await Self.get(port, "/v1.0/healthz")
            #expect(starting.hasPrefix("HTTP/1.1 500"))
            #expect(starting.contains(#""errorCode":"ERR_HEALTH_NOT_READY""#))
            #expect(try await Self.get(port, "/v1.0/healthz/outbound").hasPrefix("HTTP/1.1 204"))

            tasks.addTask { try await meshGroup.run() }
            try await eventually("the mesh runs") { mesh.phase == .running }
            #expect(try await Self.get(port, "/v1.0/healthz").hasPrefix("HTTP/1.1 204"))
            #expect(try await Self.get(port, "/v1.0/healthz/").hasPrefix("HTTP/1.1 204"))
            #expect(try await Self.get(port, "/v1.0/healthz/outbound").hasPrefix("HTTP/1.1 204"))
            #expect(try await Self.get(port, "/v1.0/healthz?appid=product-service").hasPrefix("HTTP/1.1 204"))
            let otherApp = try await Self.get(port, "/v1.0/healthz?appid=order-service")
            #expect(otherApp.hasPrefix("HTTP/1.1 500"))
            #expect(otherApp.contains(#""errorCode":"ERR_HEALTH_APPID_NOT_MATCH""#))

            await meshGroup.triggerGracefulShutdown()
            try await eventually("the mesh stopped") { mesh.phase == .stopped }
            #expect(try await Self.get(port, "/v1.0/healthz").hasPrefix("HTTP/1.1 500"))
            let outbound = try await Self.get(port, "/v1.0/healthz/outbound")
            #expect(outbound.hasPrefix("HTTP/1.1 500"))
            #expect(outbound.contains(#""errorCode":"ERR_OUTBOUND_HEALTH_NOT_READY""#))
        }
    }

    @Test("HEAD is answered as GET, without a body; other methods get 405")
    func headAndOtherMethods() async throws {
        try await withServer(mesh: try await productMesh()) { port throws in
            #expect(try await Self.get(port, "/v1.0/healthz", method: "HEAD").hasPrefix("HTTP/1.1 204"))
            #expect(try await Self.get(port, "/v1.0/healthz/outbound", method: "DELETE").hasPrefix("HTTP/1.1 405"))
        }
    }
}
