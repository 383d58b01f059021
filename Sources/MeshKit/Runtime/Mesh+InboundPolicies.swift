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
    /// `http.server.request.duration`. It runs on the caller's executor, and so does `body`.
    ///
    /// Inlinable, so that it is specialized for the caller's `Result` (a server's response
    /// type) where it is called: unspecialized, it looked up the metadata of `Result?` and of
    /// its closure's context on every request.
    @inlinable
    nonisolated(nonsending) public func withInboundPolicies<Result: Sendable>(
        method: HTTPRequest.Method,
        route: String,
        headers: HTTPFields,
        status: @escaping @Sendable (Result) -> Int,
        _ body: nonisolated(nonsending) @Sendable () async throws -> Result
    ) async throws -> Result {
        // The stack runs on the status alone, in code specialized for it, and the result waits
        // here: a generic result would make every frame below look up its type's metadata and
        // allocate its locals. `body` writes it before the stack returns (or not at all).
        nonisolated(unsafe) var answer: Result?
        try await withInboundPolicies(method: method, route: route, headers: headers) { _ in
            let result = try await body()
            answer = result
            return status(result)
        }
        guard let answer else { throw inboundAnswerMissing() }
        return answer
    }

    /// The error of a request whose inbound stack answered without running it (a filter of the
    /// app's own that returned without calling `next`).
    @usableFromInline
    func inboundAnswerMissing() -> MeshError {
        MeshError(.invocationFailed, "a filter of the inbound stack of '\(appID)' answered without running the request")
    }

    /// ``withInboundPolicies(method:route:headers:status:_:)`` for a `body` that returns the
    /// request's HTTP status, compiled here once. Everything it runs but the stack's filters
    /// and `body` is inlined into it: each async frame costs a request its allocation and its
    /// executor check.
    @usableFromInline
    nonisolated(nonsending) func withInboundPolicies(
        method: HTTPRequest.Method,
        route: String,
        headers: HTTPFields,
        _ body: nonisolated(nonsending) @Sendable (MeshCall<Int>) async throws -> Int
    ) async throws {
        let start = MonotonicClock.systemNanoseconds()
        let call = MeshCall<Int>(target: inboundStack.target, reading: .httpStatus { $0 })
        let trace = tracing.incomingCall(headers: headers)
        // Without an instrument there is no span to make and no context to bind.
        guard trace.tracer != nil || trace.context != nil else {
            return try await runInbound(call, method: method, route: route, since: start, in: nil, body)
        }
        try await withSampledSpan(
            InvocationSpan.serverName(method: method, route: route),
            ofKind: .server,
            tracer: trace.tracer,
            context: trace.context
        ) { span in
            if let span, span.isRecording {
                span.attributes["http.request.method"] = method.rawValue
                span.attributes["http.route"] = route
            }
            try await runInbound(call, method: method, route: route, since: start, in: span, body)
        }
    }

    /// Runs `body` through the inbound stack as `call`, and records the status it returned in
    /// `span` and in `http.server.request.duration`.
    @inline(__always)
    nonisolated(nonsending) private func runInbound(
        _ call: MeshCall<Int>,
        method: HTTPRequest.Method,
        route: String,
        since start: Int64,
        in span: (any Tracing.Span)?,
        _ body: nonisolated(nonsending) @Sendable (MeshCall<Int>) async throws -> Int
    ) async throws {
        let code: Int
        do {
            code = try await inboundStack.execute(call, body)
            if let span, span.isRecording { InvocationSpan.setStatus(code, on: span, isServer: true) }
            invocationMetrics.recordServer(method: method.rawValue, route: route, status: code, since: start)
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
