import Foundation

/// The official Dapr Python SDK (`dapr` on PyPI) as a client of a MeshKit server, which it takes
/// for its sidecar: `DaprClient` polls `/v1.0/healthz/outbound` first, then `invoke_method` sends
/// `/v1.0/invoke/{appId}/method/{method}` over HTTP (its default invocation protocol).
public enum DaprPythonSDK {
    /// What the script saw: the GET's and the POST's answers, and the status of the missing method.
    public struct Outcome: Decodable, Sendable {
        /// One answer.
        public struct Answer: Decodable, Sendable {
            /// The status.
            public var status: Int
            /// The body, as text.
            public var body: String
            /// The content type.
            public var contentType: String?
        }
        /// `GET products/42?color=red`.
        public var get: Answer
        /// `POST products/43` with `{"qty": 2}`.
        public var post: Answer
        /// The status of `GET missing`.
        public var missing: Int?
    }

    /// A Python with the SDK, or `nil` when pip cannot reach PyPI (the test then skips, saying so).
    public static func python() async throws -> PythonVenv? {
        try await PythonVenv.with("dapr>=1.14,<2", importing: "dapr.clients", name: "dapr-sdk")
    }

    /// Runs the script against the server on `port` and returns what it saw.
    public static func invoke(_ python: PythonVenv, port: Int, appID: String) async throws -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["DAPR_HTTP_ENDPOINT"] = "http://127.0.0.1:\(port)"
        environment["DAPR_HTTP_PORT"] = "\(port)"
        environment["DAPR_HEALTH_TIMEOUT"] = "20"
        let output = try await python.run(source: source, [appID], environment: environment)
        return try JSONDecoder().decode(Outcome.self, from: Data(output.utf8))
    }

    /// Invokes a GET with a query and a POST with a JSON body, then a method that does not
    /// exist, and prints what the SDK saw.
    static let source = #"""
        import json, sys
        from dapr.clients import DaprClient
        from dapr.clients.exceptions import DaprHttpError

        app = sys.argv[1]
        with DaprClient() as client:
            get = client.invoke_method(app, "products/42", data=b"", http_verb="GET", http_querystring=(("color", "red"),))
            post = client.invoke_method(
                app, "products/43", data=json.dumps({"qty": 2}), content_type="application/json", http_verb="POST")
            try:
                client.invoke_method(app, "missing", data=b"", http_verb="GET")
                missing = None
            except DaprHttpError as error:
                missing = error.status_code
            print(json.dumps({
                "get": {"status": get.status_code, "body": get.text()},
                "post": {"status": post.status_code, "body": post.text(), "contentType": post.content_type},
                "missing": missing,
            }, sort_keys=True))
        """#
}
