public import Foundation
public import HTTPTypes

/// What an invocation returns: status, headers and body, unchanged from the callee.
public struct InvocationResponse: Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The response headers.
    public var headers: HTTPFields
    /// The body.
    public var body: Data

    /// Creates a response.
    public init(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `200 OK` response with a JSON body.
    public static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, encoder: JSONEncoder = JSONEncoder()) throws
        -> InvocationResponse
    {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return InvocationResponse(status: status, headers: headers, body: try encoder.encode(value))
    }

    /// A response with a text body.
    public static func text(_ text: String, status: HTTPResponse.Status = .ok) -> InvocationResponse {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return InvocationResponse(status: status, headers: headers, body: Data(text.utf8))
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { status.kind == .successful }

    /// Decodes the body as JSON.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: body)
    }
}

/// A method handler: it answers invocations of one method pattern.
public typealias InvocationHandler = @Sendable (InvocationRequest) async throws -> InvocationResponse
