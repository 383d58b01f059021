import HTTPTypes

/// How the failure of an invocation handler is reported to its caller: a status and Dapr error
/// code from the error, and a message without internal detail.
///
/// - A ``MeshError`` answers its code's ``MeshError/Code/httpStatus``, except that a 404 becomes
///   500: a handler whose own downstream call found no app (or no component) is a failure of
///   the handler, not a missing route of the caller's. A downstream call that could not connect
///   answers 503, one that timed out 504 (as the code maps them).
/// - Cancellation answers 500 with `ERR_CANCELLED`; any other error 500 with `ERR_DIRECT_INVOKE`.
/// - A 4xx answer says what was wrong with the request (the ``MeshError/message``, which never
///   holds the error's context or underlying error); a 5xx answer says only that the method
///   failed, naming the trace ID when the request carried one, so the server's log tells the rest.
struct InvocationFailure {
    let status: HTTPResponse.Status
    let code: MeshError.Code
    let message: String
    /// Whether the handler was cancelled (its caller left, or a deadline passed) rather than failed.
    let isCancellation: Bool

    init(_ error: any Error, method: String, traceID: String?) {
        let meshError = error as? MeshError
        isCancellation = error is CancellationError || meshError?.code == .cancelled
        code = meshError?.code ?? (isCancellation ? .cancelled : .invocationFailed)
        let status = meshError.map { $0.code.httpStatus == 404 ? 500 : $0.code.httpStatus } ?? 500
        self.status = HTTPResponse.Status(code: status)
        if let meshError, (400..<500).contains(status) {
            message = meshError.message
        } else {
            message = "method '\(method)' failed" + (traceID.map { "; the server logged the cause under trace ID \($0)" } ?? "")
        }
    }

    /// The answer to the caller.
    var response: InvocationResponse {
        .error(code, message, status: status)
    }

    /// The trace ID of the W3C `traceparent` header (`00-<trace ID>-<span ID>-<flags>`) of a
    /// request, if it has one.
    static func traceID(in headers: HTTPFields) -> String? {
        guard let traceparent = headers[traceparentName] else { return nil }
        let fields = traceparent.split(separator: "-")
        guard fields.count == 4, fields[1].utf8.count == 32 else { return nil }
        return String(fields[1])
    }

    private static let traceparentName = HTTPField.Name("traceparent")!
}
