/// The precise kind of an HTTP transport failure.
///
/// ``HTTPInvocationTransport`` throws `MeshError`s (``MeshError/Code/connectFailed``,
/// ``MeshError/Code/unavailable``, ``MeshError/Code/timeout``, ``MeshError/Code/cancelled``,
/// ``MeshError/Code/tooManyRequests``, ``MeshError/Code/appNotFound`` or
/// ``MeshError/Code/invocationFailed``) whose `underlying` error is an `HTTPTransportError`, so a
/// retry or circuit-breaker policy can tell a refused connection from a reset one:
///
/// ```swift
/// catch let error as MeshError where error.httpTransportError?.isSafeToRetry == true { ... }
/// ```
///
/// Two errors are equal when their codes are equal.
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of transport failure this is.
    public let code: Code
    /// A sentence that says what went wrong.
    public let message: String
    /// The URL of the attempt, when one was made.
    public let url: String?
    /// libcurl's result code (`CURLcode`), when libcurl reported the failure.
    public let curlCode: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, url: String? = nil, curlCode: Int? = nil) {
        self.code = code
        self.message = message
        self.url = url
        self.curlCode = curlCode
    }

    public static func == (lhs: HTTPTransportError, rhs: HTTPTransportError) -> Bool {
        lhs.code == rhs.code
    }

    /// Whether the request provably never reached the peer, so sending it again cannot run it
    /// twice: true for a DNS failure, a refused connection, a failed connect and a connect
    /// timeout, and when the resolver found no endpoint.
    public var isSafeToRetry: Bool { code.isSafeToRetry }

    public var description: String {
        var text = "\(code): \(message)"
        if let url { text += " (\(url))" }
        if let curlCode { text += " [curl \(curlCode)]" }
        return text
    }
}
