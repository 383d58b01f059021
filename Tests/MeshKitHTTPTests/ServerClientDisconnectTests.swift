import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A client that goes away takes its request with it.
@Suite struct ServerClientDisconnectTests {
    @Test("a client that closes its connection mid-request cancels the handler, which never writes its state")
    func disconnectCancelsHandler() async throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.in-memory
            """
        let resources = try ResourceLoader.parse(yaml: yaml, file: "statestore.yaml")
        let mesh = try await Mesh(appID: "product-service", configuration: .testing(resources: resources))
        let started = Counter()
        let cancelled = Counter()
        let delay = Duration.milliseconds(500)
        mesh.handleInvocation("orders/{id}") { [weak mesh] request in
            started.increment()
            do {
                try await Task.sleep(for: delay)
            } catch {
                cancelled.increment()
                throw error
            }
            try await mesh?.saveState(store: "statestore", key: "order", value: request.pathParameters["id"] ?? "")
            return .text("saved")
        }
        try await withServer(mesh: mesh) { port in
            let socket = try await blocking { try LoopbackSocket.connect(port: port) }
            LoopbackSocket.send(
                socket,
                Array("POST /v1.0/invoke/product-service/method/orders/7 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n".utf8)
            )
            try await eventually("the handler started") { started.value == 1 }
            close(socket)
            try await eventually("the handler saw cancellation") { cancelled.value == 1 }
            try await Task.sleep(for: delay * 2)
            #expect(try await mesh.getState(store: "statestore", key: "order") == nil)
        }
    }
}
