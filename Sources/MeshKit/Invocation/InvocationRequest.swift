public import Foundation
public import HTTPTypes

/// A service invocation: what `invoke` sends and what a method handler receives.
public struct InvocationRequest: Sendable {
    /// The app being called.
    public var appID: String
    /// The method, as a path without a leading slash, such as `products/42`.
    public var method: String
    /// The HTTP method.
    public var httpMethod: HTTPRequest.Method
    /// The request headers, including `dapr-caller-app-id`, `dapr-callee-app-id` and
    /// `traceparent` on the receiving side.
    public var headers: HTTPFields
    /// The query items.
    public var query: [URLQueryItem]
    /// The body.
    public var body: Data
    /// Values captured by `{name}` segments of the handler's method pattern.
    public var pathParameters: [String: String]
    /// The caller's identity, proved by its client certificate, on a request received over
    /// mTLS; `nil` otherwise (plaintext, in-process calls, TLS without a client certificate).
    /// Set by the server, never from a header.
    public var peerIdentity: PeerIdentity?
    /// The caller's IP address, as the receiving server saw the connection (Istio's
    /// `source.ip`); `nil` for in-process calls.
    public var peerAddress: String?
    /// The answering mesh's decoder, the default of ``decode(_:decoder:)``.
    var jsonDecoder: JSONDecoder?

    /// Creates a request.
    public init(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        headers: HTTPFields = [:],
        query: [URLQueryItem] = [],
        body: Data = Data(),
        pathParameters: [String: String] = [:]
    ) {
        self.appID = appID
        self.method = method
        self.httpMethod = httpMethod
        self.headers = headers
        self.query = query
        self.body = body
        self.pathParameters = pathParameters
    }

    /// The calling app's ID, when the caller is a mesh.
    public var callerAppID: String? { headers[HTTPField.Name.daprCallerAppID] }

    /// Decodes the body as JSON.
    ///
    /// Throws ``MeshError/Code/malformedRequest`` when the body does not decode, so a handler
    /// that lets the error propagate answers 400 with what is wrong with the body; the
    /// `DecodingError` is its `underlying` error. Without `decoder`, the mesh's
    /// ``MeshConfiguration/jsonDecoder`` decodes.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder? = nil) throws -> T {
        do {
            return try (decoder ?? jsonDecoder ?? JSONDecoder()).decode(type, from: body)
        } catch let error as DecodingError {
            throw MeshError(.malformedRequest, "the request body could not be decoded: \(error.inputDescription)", underlying: error)
        }
    }
}

extension HTTPField.Name {
    /// `dapr-caller-app-id`: the app ID of the caller.
    public static let daprCallerAppID = HTTPField.Name("dapr-caller-app-id")!
    /// `dapr-callee-app-id`: the app ID being called.
    public static let daprCalleeAppID = HTTPField.Name("dapr-callee-app-id")!
    /// `dapr-app-id`: on a request to a sidecar's `/{method}`, the app ID to invoke.
    public static let daprAppID = HTTPField.Name("dapr-app-id")!
}
