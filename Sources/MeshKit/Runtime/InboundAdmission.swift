public import HTTPTypes

/// A request that the app's inbound stack let in without running it (``Mesh/admitInbound(method:route:headers:)``):
/// the server runs it itself, then finishes the admission once with its outcome
/// (``Mesh/finishInbound(_:status:)``, ``Mesh/finishInbound(_:throwing:)``), which the stack's
/// filters and `http.server.request.duration` see. Noncopyable, so that it is finished at most
/// once.
public struct InboundAdmission: ~Copyable, Sendable {
    let call: MeshCall<Int>
    let entered: EnteredFilters
    let method: HTTPRequest.Method
    let route: String
    /// A reading of ``MonotonicClock/systemNanoseconds()`` taken as the request came in.
    let start: Int64
}

extension Mesh {
    /// Lets a request the app answers outside MeshKit's invocation routing into the app's
    /// inbound policies, as ``withInboundPolicies(method:route:headers:status:_:)`` does, but
    /// without running it: for a server that would rather await its own handler than pass it in
    /// a closure, which costs each request a few async frames.
    ///
    /// Only a request that needs nothing but the stack's inline filters (the rate and
    /// concurrency limits, the circuit breaker, metrics) is admitted this way. It returns `nil`,
    /// having let in nothing, when the request needs more, and the server then runs it through
    /// ``withInboundPolicies(method:route:headers:status:_:)``: an inbound timeout or a deadline
    /// in the task (``MeshDeadline``), fault injection, or an instrument that continues the
    /// caller's trace (spans are made only there). A refused request throws the ``MeshError``
    /// whose ``MeshError/Code/httpStatus`` the server should answer, and is counted as that
    /// status in `http.server.request.duration`.
    public func admitInbound(method: HTTPRequest.Method, route: String, headers: HTTPFields) throws -> InboundAdmission? {
        let start = MonotonicClock.systemNanoseconds()
        let trace = tracing.incomingCall(headers: headers)
        guard trace.tracer == nil, trace.context == nil else { return nil }
        var call = MeshCall<Int>(target: inboundStack.target, reading: .httpStatus { $0 })
        do {
            guard let entered = try inboundStack.enterInline(&call) else { return nil }
            return InboundAdmission(call: call, entered: entered, method: method, route: route, start: start)
        } catch {
            let status = (error as? MeshError)?.code.httpStatus ?? 500
            invocationMetrics.recordServer(method: method.rawValue, route: route, status: status, since: start)
            throw error
        }
    }

    /// Finishes an admitted request that was answered with the HTTP `status` (a 5xx counts
    /// against the inbound breaker).
    public func finishInbound(_ admission: consuming InboundAdmission, status: Int) {
        inboundStack.stack.exitInline(admission.entered, admission.call, returning: status)
        invocationMetrics.recordServer(method: admission.method.rawValue, route: admission.route, status: status, since: admission.start)
    }

    /// Finishes an admitted request whose handler threw `error`; it counts as the status a
    /// ``MeshError`` maps to, and as 500 otherwise.
    public func finishInbound(_ admission: consuming InboundAdmission, throwing error: any Error) {
        inboundStack.stack.exit(admission.entered, admission.call, throwing: error)
        let status = (error as? MeshError)?.code.httpStatus ?? 500
        invocationMetrics.recordServer(method: admission.method.rawValue, route: admission.route, status: status, since: admission.start)
    }
}
