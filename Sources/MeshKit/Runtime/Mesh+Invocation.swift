public import Foundation
public import HTTPTypes
import Logging
import Tracing

extension Mesh {
    /// Invokes a method of another app (or of this one) and returns its response, whatever its
    /// status.
    ///
    /// An app that lives in this process is called directly; others go through the configured
    /// remote transport. Throws ``MeshError/Code/appNotFound`` when the app cannot be reached.
    ///
    /// The app's policies apply. A call whose request may have reached the app is retried only
    /// when it is idempotent: GET, HEAD, PUT, DELETE, OPTIONS and TRACE are, POST and PATCH are
    /// not, unless `idempotent` says otherwise.
    ///
    /// - Parameter methodPattern: the pattern `method` is an instance of, such as
    ///   `products/{sku}` for `products/mug`: it names the client span (`GET products/{sku}`) and
    ///   labels `http.client.request.duration` as OpenTelemetry's `url.template`. Without it the
    ///   span is named after the HTTP method alone, since a raw method would give every product
    ///   a span name of its own.
    public func invoke(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        body: Data = Data(),
        headers: HTTPFields = [:],
        query: [URLQueryItem] = [],
        idempotent: Bool? = nil,
        methodPattern: String? = nil
    ) async throws -> InvocationResponse {
        var request = InvocationRequest(
            appID: appID,
            method: Self.trimmed(method),
            httpMethod: httpMethod,
            headers: headers,
            query: query,
            body: body
        )
        request.headers[.daprCallerAppID] = self.appID
        request.headers[.daprCalleeAppID] = appID
        let template = methodPattern.map(Self.trimmed)
        let tracer = tracing.tracerForOutgoingCall()
        let start = MonotonicClock.systemNanoseconds()
        do {
            let response = try await withSampledSpan(
                InvocationSpan.clientName(method: httpMethod, template: template),
                ofKind: .client,
                tracer: tracer
            ) { span in
                if let span, span.isRecording { InvocationSpan.setClientAttributes(of: request, template: template, on: span) }
                let trace = CallTrace(of: span, by: tracer, urlTemplate: template)
                let response = try await send(request, trace: trace, idempotent: idempotent)
                if let span, span.isRecording { InvocationSpan.setStatus(response.status.code, on: span, isServer: false) }
                return response
            }
            invocationMetrics.recordClient(
                method: httpMethod.rawValue,
                template: template,
                app: appID,
                status: response.status.code,
                error: response.status.code >= 400 ? String(response.status.code) : nil,
                since: start
            )
            return response
        } catch {
            let type = (error as? MeshError).map { "\($0.code)" } ?? String(describing: Swift.type(of: error))
            invocationMetrics.recordClient(
                method: httpMethod.rawValue,
                template: template,
                app: appID,
                status: nil,
                error: type,
                since: start
            )
            throw error
        }
    }

    /// Sends an invocation through the app's outbound stack: its VirtualService route, when one
    /// routes the app, and its policies.
    private func send(_ request: InvocationRequest, trace: CallTrace?, idempotent: Bool?) async throws -> InvocationResponse {
        let target = PolicyTarget.app(request.appID)
        let httpMethod = request.httpMethod
        let stack: TargetStack
        if let service = policies.rules.virtualService(for: request.appID) {
            let path = "/" + request.method
            guard
                let index = service.http.firstIndex(where: {
                    $0.matches(method: httpMethod.rawValue, path: path, headers: request.headers, query: request.query)
                })
            else {
                // Envoy's answer when no route matches (response flag NR).
                return .text(
                    "no route of VirtualService '\(service.header.name)' matches \(httpMethod.rawValue) \(path)",
                    status: .notFound
                )
            }
            stack = policies.stack(for: target, route: index)
        } else {
            stack = policies.stack(for: target)
        }
        var call = MeshCall(
            target: target,
            isIdempotent: idempotent ?? Self.idempotentMethods.contains(httpMethod),
            reading: .invocation,
            invocation: request
        )
        call.trace = trace
        return try await stack.execute(call) { call in
            try await self.deliver(call.invocation ?? request, to: call.endpoint, policy: call.cluster?.policy)
        }
    }

    /// HTTP methods whose requests may be repeated safely.
    static let idempotentMethods: Set<HTTPRequest.Method> = [.get, .head, .put, .delete, .options, .trace]

    /// Sends one attempt, carrying the attempt's trace context: to the app in this process, or
    /// through the remote transport to the endpoint the balancer picked.
    func deliver(_ request: InvocationRequest, to endpoint: Endpoint?, policy: TrafficPolicy?) async throws -> InvocationResponse {
        var request = request
        TraceContextCarrier.inject(into: &request.headers)
        if let local = configuration.network.mesh(appID: request.appID) {
            return await local.handleInvocation(request, callerEnforcesDeadline: true)
        }
        if let endpoint, let remote = configuration.remoteTransport {
            return try await remote.invoke(request, at: endpoint, policy: policy ?? TrafficPolicy())
        }
        throw MeshError(
            .appNotFound,
            "no app with ID '\(request.appID)' lives in this process, and no remote transport is configured",
            context: .init(subject: request.appID)
        )
    }

    /// Invokes a method with a JSON body.
    public func invoke<Body: Encodable>(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        value: Body,
        headers: HTTPFields = [:],
        query: [URLQueryItem] = [],
        idempotent: Bool? = nil,
        methodPattern: String? = nil
    ) async throws -> InvocationResponse {
        var headers = headers
        headers[.contentType] = headers[.contentType] ?? "application/json"
        return try await invoke(
            appID: appID,
            method: method,
            httpMethod: httpMethod,
            body: try configuration.jsonEncoder.encode(value),
            headers: headers,
            query: query,
            idempotent: idempotent,
            methodPattern: methodPattern
        )
    }

    /// Registers the handler of a method pattern: literal segments, `{name}` captures and a final
    /// `*` (`products/{id}`, `health/*`). `httpMethods` limits the HTTP methods it answers;
    /// others get 405; one that answers GET answers HEAD too (over HTTP, without the body). A
    /// literal method wins over a pattern; patterns match in registration order.
    public func handleInvocation(_ method: String, httpMethods: Set<HTTPRequest.Method>? = nil, _ handler: @escaping InvocationHandler) {
        let registration = MethodRegistration(
            pattern: MethodPattern(Self.trimmed(method)),
            httpMethods: httpMethods.map { Set($0.map(\.rawValue)) },
            handler: handler
        )
        handlers.withLock { table in
            if registration.pattern.isLiteral {
                table.literalMethods[MethodPattern.split(Self.trimmed(method)).joined(separator: "/")] = registration
            } else {
                table.patternMethods.append(registration)
            }
        }
    }

    /// Answers an invocation addressed to this app: the entry point of every transport.
    ///
    /// A method with no handler answers 404 and a disallowed HTTP method 405, as an HTTP app
    /// would. A handler that throws answers Dapr's error JSON, `{"errorCode": …, "message": …}`:
    /// a ``MeshError`` its code's ``MeshError/Code/httpStatus`` (429 for a rate-limited
    /// downstream call, 503 for one that could not connect, 400 for a body that
    /// ``InvocationRequest/decode(_:decoder:)`` could not decode), except that a 404 becomes 500,
    /// since an app or component the handler itself could not find is not the caller's missing
    /// route; any other error answers 500. The message of a 4xx answer is the error's
    /// ``MeshError/message``; a 5xx answer only names the method and the request's trace ID.
    /// The full error is logged at error level with its `trace_id` (at debug level when the
    /// handler was cancelled).
    ///
    /// The handler runs under the app's inbound policies (``PolicyTarget/appInbound(_:)``): a
    /// call over the rate or concurrency limit answers 429, one that outlives the inbound
    /// timeout or the caller's deadline is cancelled and answers 504, an open inbound breaker
    /// answers 503, and an injected abort answers its status.
    public func handleInvocation(_ request: InvocationRequest) async -> InvocationResponse {
        await handleInvocation(request, callerEnforcesDeadline: false)
    }

    /// - Parameter callerEnforcesDeadline: whether the caller's stack, in this process, already
    ///   bounds the call by ``MeshDeadline/current`` and cancels it when it passes. The inbound
    ///   stack then keeps no second timer for the same deadline (it would only race the first);
    ///   the handler still sees the deadline, for the calls it makes.
    func handleInvocation(_ request: InvocationRequest, callerEnforcesDeadline: Bool) async -> InvocationResponse {
        let start = MonotonicClock.systemNanoseconds()
        let lookup = handlers.withLock { table -> (MethodRegistration, [String: String])? in
            let key = MethodPattern.split(request.method).joined(separator: "/")
            if let literal = table.literalMethods[key] { return (literal, [:]) }
            for registration in table.patternMethods {
                if let captures = registration.pattern.match(request.method) { return (registration, captures) }
            }
            return nil
        }
        let route = lookup?.0.pattern.description
        let trace = tracing.incomingCall(headers: request.headers)
        let response = await withSampledSpan(
            InvocationSpan.serverName(method: request.httpMethod, route: route),
            ofKind: .server,
            tracer: trace.tracer,
            context: trace.context
        ) { span in
            if let span, span.isRecording { InvocationSpan.setServerAttributes(of: request, route: route, on: span) }
            let response = await answer(request, lookup: lookup, span: span, callerEnforcesDeadline: callerEnforcesDeadline)
            if let span, span.isRecording { InvocationSpan.setStatus(response.status.code, on: span, isServer: true) }
            return response
        }
        invocationMetrics.recordServer(method: request.httpMethod.rawValue, route: route, status: response.status.code, since: start)
        return response
    }

    /// Runs the handler `lookup` found under the app's inbound policies, or answers 404 or 405.
    private func answer(
        _ request: InvocationRequest,
        lookup: (MethodRegistration, [String: String])?,
        span: (any Span)?,
        callerEnforcesDeadline: Bool
    ) async -> InvocationResponse {
        guard let (registration, captures) = lookup else {
            return .text("no handler for method '\(request.method)' in app '\(appID)'", status: .notFound)
        }
        if let allowed = registration.httpMethods, !Self.answers(request.httpMethod, allowed: allowed) {
            return .text("method '\(request.method)' does not answer \(request.httpMethod.rawValue)", status: .methodNotAllowed)
        }
        var request = request
        request.pathParameters = captures
        request.jsonDecoder = configuration.jsonDecoder
        do {
            let request = request
            let stack = inboundStack
            func underInboundPolicies(_ body: @Sendable () async throws -> InvocationResponse) async throws -> InvocationResponse {
                try await stack.execute(MeshCall(target: stack.target, reading: .invocation, invocation: request)) { _ in try await body() }
            }
            guard callerEnforcesDeadline, let callerDeadline = MeshDeadline.current else {
                return try await underInboundPolicies { try await registration.handler(request) }
            }
            // Hidden from the inbound stack, bound again (with any inbound deadline) for the handler.
            return try await MeshDeadline.$current.withValue(nil) {
                try await underInboundPolicies {
                    let bound = MeshDeadline.current.map { min($0, callerDeadline) } ?? callerDeadline
                    return try await MeshDeadline.$current.withValue(bound) { try await registration.handler(request) }
                }
            }
        } catch {
            span?.recordError(error)
            let traceID = InvocationFailure.traceID(in: request.headers)
            let failure = InvocationFailure(error, method: request.method, traceID: traceID)
            var metadata: Logger.Metadata = ["method": "\(request.method)", "error": "\(error)"]
            if let traceID { metadata["trace_id"] = "\(traceID)" }
            logger.log(level: failure.isCancellation ? .debug : .error, "an invocation handler failed", metadata: metadata)
            return failure.response
        }
    }

    /// Whether a handler registered for `allowed` answers `method`: a handler for GET answers
    /// HEAD too, as HTTP servers do (RFC 9110 §9.3.2; Go's `net/http` and Dapr's router likewise).
    private static func answers(_ method: HTTPRequest.Method, allowed: Set<String>) -> Bool {
        allowed.contains(method.rawValue) || (method == .head && allowed.contains(HTTPRequest.Method.get.rawValue))
    }

    private static func trimmed(_ method: String) -> String {
        method.hasPrefix("/") ? String(method.drop { $0 == "/" }) : method
    }
}
