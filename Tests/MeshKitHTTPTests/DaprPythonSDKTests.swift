import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

/// The official Dapr Python SDK calls a MeshKit server as it calls a Dapr sidecar.
@Suite struct DaprPythonSDKTests {
    @Test("DaprClient().invoke_method: GET with a query and POST with a body reach the handler; a missing method is 404")
    func invokeMethod() async throws {
        guard let python = try await DaprPythonSDK.python() else { return }
        try await withServer(mesh: try await productMesh()) { port in
            let outcome = try await DaprPythonSDK.invoke(python, port: port, appID: "product-service")
            #expect(outcome.get.status == 200)
            #expect(outcome.get.body == "product 42 red ")
            #expect(outcome.post.status == 200)
            #expect(outcome.post.body == #"product 43  {"qty": 2}"#)
            #expect(outcome.post.contentType?.hasPrefix("text/plain") == true)
            #expect(outcome.missing == 404)
        }
    }
}
