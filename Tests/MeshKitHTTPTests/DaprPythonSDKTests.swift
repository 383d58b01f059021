import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

/// The official Dapr Python SDK calls a MeshKit server as it calls a Dapr sidecar.
@Suite struct DaprPythonSDKTests {
    struct Outcome: Decodable {
        struct Answer: Decodable {
            var status: Int
            var body: String
            var contentType: String?
        }
        var get: Answer
        var post: Answer
        var missing: Int?
    }

    @Test("DaprClient().invoke_method: GET with a query and POST with a body reach the handler; a missing method is 404")
    func invokeMethod() async throws {
        guard let python = try await DaprPythonSDK.python() else { return }
        try await withServer(mesh: try await productMesh()) { port in
            let output = try await DaprPythonSDK.invoke(python, port: port, appID: "product-service")
            let outcome = try JSONDecoder().decode(Outcome.self, from: Data(output.utf8))
            #expect(outcome.get.status == 200)
            #expect(outcome.get.body == "product 42 red ")
            #expect(outcome.post.status == 200)
            #expect(outcome.post.body == #"product 43  {"qty": 2}"#)
            #expect(outcome.post.contentType?.hasPrefix("text/plain") == true)
            #expect(outcome.missing == 404)
        }
    }
}
