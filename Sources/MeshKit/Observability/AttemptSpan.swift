import Tracing

/// The span of one attempt of a traced call, made by the retry filter.
///
/// An invocation's attempt is an HTTP client span, as OpenTelemetry's HTTP conventions make each
/// physical request: it has the call's name (`GET products/{sku}`), and a resend carries
/// `http.request.resend_count` (1 for the first retry) and its own `http.response.status_code`.
/// Other calls' attempts are internal spans with the call's name and `meshkit.attempt`.
enum AttemptSpan {
    static func run<Result: Sendable>(
        _ call: MeshCall<Result>,
        _ next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard let trace = call.trace else { return try await next(call) }
        guard let request = call.invocation else {
            return try await trace.tracer.withSpan(trace.name, ofKind: .internal) { span in
                span.attributes["meshkit.attempt"] = call.attempt
                return try await next(call)
            }
        }
        return try await trace.tracer.withSpan(trace.name, ofKind: .client) { span in
            if span.isRecording {
                InvocationSpan.setClientAttributes(of: request, template: trace.urlTemplate, on: span)
                if call.attempt > 1 { span.attributes["http.request.resend_count"] = call.attempt - 1 }
            }
            let result = try await next(call)
            if span.isRecording, let response = result as? InvocationResponse {
                InvocationSpan.setStatus(response.status.code, on: span, isServer: false)
            }
            return result
        }
    }
}
