public import HTTPTypes
import Tracing

extension Mesh {
    /// Runs `body`, a request the app answers outside MeshKit's invocation routing (a route of
    /// its own HTTP server, say), under the app's inbound policies, as an invocation's handler
    /// runs (``PolicyTarget/appInbound(_:)``): the rate and concurrency limits, the inbound
    /// timeout, the inbound circuit breaker and fault injection.
    ///
    /// `status` reads the HTTP status of what `body` returned, which the breaker counts (a 5xx
    /// is a failure). A refused call throws the ``MeshError`` whose
    /// ``MeshError/Code/httpStatus`` the server should answer: 429 over a limit, 503 with the
    /// breaker open, 504 past the timeout (`body` is cancelled then).
    ///
    /// The request runs in a server span named `{method} {route}` (`GET /orders/{id}`), by
    /// OpenTelemetry's HTTP conventions, continuing the trace in `headers`, and is counted in
    /// `http.server.request.duration`.
    nonisolated(nonsending) public func withInboundPolicies<Result: Sendable>(
        method: HTTPRequest.Method,
        route: String,
        headers: HTTPFields,
        status: @escaping @Sendable (Result) -> Int,
        _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        let start = MonotonicClock.systemNanoseconds()
        let call = MeshCall(target: inboundStack.target, reading: .httpStatus(status))
        let trace = tracing.incomingCall(headers: headers)
        // Without an instrument there is no span to make and no context to bind.
        guard trace.tracer != nil || trace.context != nil else {
            return try await runInbound(call, method: method, route: route, status: status, since: start, in: nil, body)
        }
        return try await withSampledSpan(
            InvocationSpan.serverName(method: method, route: route),
            ofKind: .server,
            tracer: trace.tracer,
            context: trace.context
        ) { span in
            if let span, span.isRecording {
                span.attributes["http.request.method"] = method.rawValue
                span.attributes["http.route"] = route
            }
            return try await runInbound(call, method: method, route: route, status: status, since: start, in: span, body)
        }
    }

    /// Runs `body` through the inbound stack as `call`, and records its `status` in `span` and in
    /// `http.server.request.duration`. Inlined, so that a request without a span costs no async
    /// frame of its own.
    @inline(__always)
    nonisolated(nonsending) private func runInbound<Result: Sendable>(
        _ call: MeshCall<Result>,
        method: HTTPRequest.Method,
        route: String,
        status: @Sendable (Result) -> Int,
        since start: Int64,
        in span: (any Tracing.Span)?,
        _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        let code: Int
        do {
            let result = try await inboundStack.execute(call) { _ in try await body() }
            code = status(result)
            if let span, span.isRecording { InvocationSpan.setStatus(code, on: span, isServer: true) }
            invocationMetrics.recordServer(method: method.rawValue, route: route, status: code, since: start)
            return result
        } catch {
            code = (error as? MeshError)?.code.httpStatus ?? 500
            if let span, span.isRecording {
                span.recordError(error)
                InvocationSpan.setStatus(code, on: span, isServer: true)
            }
            invocationMetrics.recordServer(method: method.rawValue, route: route, status: code, since: start)
            throw error
        }
    }
}
