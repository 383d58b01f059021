import Hummingbird
import MeshKit
import MeshKitHummingbird
import MeshKitTesting
import Testing

/// The official Dapr Python SDK takes the Hummingbird server for its sidecar.
@Suite struct HummingbirdDaprPythonSDKTests {
    @Test(
        "DaprClient().invoke_method against Hummingbird: GET with a query and POST with a body reach the handler; a missing method is 404"
    )
    func invokeMethod() async throws {
        guard let python = try await DaprPythonSDK.python() else { return }
        let mesh = try await Mesh(appID: "product-service", configuration: .testing())
        mesh.handleInvocation("products/{id}") { request in
            .text(
                "product \(request.pathParameters["id"] ?? "?") \(request.query.first?.value ?? "") \(String(decoding: request.body, as: UTF8.self))"
            )
        }
        let router = Router()
        router.add(middleware: MeshKitMiddleware(mesh: mesh))
        router.get("/hello") { _, _ in "hello" }
        try await withHummingbird(mesh: mesh, router: router) { port in
            let outcome = try await DaprPythonSDK.invoke(python, port: port, appID: "product-service")
            #expect(outcome.get.status == 200)
            #expect(outcome.get.body == "product 42 red ")
            #expect(outcome.post.status == 200)
            #expect(outcome.post.body == #"product 43  {"qty": 2}"#)
            #expect(outcome.missing == 404)
        }
    }
}
