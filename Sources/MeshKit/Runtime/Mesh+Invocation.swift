public import Foundation
public import HTTPTypes
import Tracing

extension Mesh {
    /// Invokes a method of another app (or of this one) and returns its response, whatever its
    /// status.
    ///
    /// An app that lives in this process is called directly; others go through the configured
    /// remote transport. Throws ``MeshError/Code/appNotFound`` when the app cannot be reached.
    public func invoke(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        body: Data = Data(),
        headers: HTTPFields = [:],
        query: [URLQueryItem] = []
    ) async throws -> InvocationResponse {
        var request = InvocationRequest(appID: appID, method: Self.trimmed(method), httpMethod: httpMethod, headers: headers, query: query, body: body)
        request.headers[.daprCallerAppID] = self.appID
        request.headers[.daprCalleeAppID] = appID
        return try await withSpan("\(appID)/\(request.method)", ofKind: .client) { span in
            span.attributes["rpc.system"] = "dapr"
            span.attributes["rpc.service"] = appID
            span.attributes["rpc.method"] = request.method
            let trace = TraceContextCarrier.currentHeaders()
            request.headers[.traceparent] = trace.traceparent
            request.headers[.tracestate] = trace.tracestate.isEmpty ? nil : trace.tracestate
            let response: InvocationResponse
            if let local = configuration.network.mesh(appID: appID) {
                response = await local.handleInvocation(request)
            } else if let remote = configuration.remoteTransport {
                response = try await remote.invoke(request)
            } else {
                throw MeshError(
                    .appNotFound,
                    "no app with ID '\(appID)' lives in this process, and no remote transport is configured",
                    context: .init(subject: appID)
                )
            }
            span.attributes["http.response.status_code"] = response.status.code
            return response
        }
    }

    /// Invokes a method with a JSON body.
    public func invoke<Body: Encodable>(
        appID: String,
        method: String,
        httpMethod: HTTPRequest.Method = .post,
        value: Body,
        headers: HTTPFields = [:],
        query: [URLQueryItem] = []
    ) async throws -> InvocationResponse {
        var headers = headers
        headers[.contentType] = headers[.contentType] ?? "application/json"
        return try await invoke(appID: appID, method: method, httpMethod: httpMethod, body: try JSONEncoder().encode(value), headers: headers, query: query)
    }

    /// Registers the handler of a method pattern: literal segments, `{name}` captures and a final
    /// `*` (`products/{id}`, `health/*`). `httpMethods` limits the HTTP methods it answers;
    /// others get 405. A literal method wins over a pattern; patterns match in registration order.
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
    /// A method with no handler answers 404, a disallowed HTTP method 405, and a handler that
    /// throws answers 500, as an HTTP app would.
    public func handleInvocation(_ request: InvocationRequest) async -> InvocationResponse {
        let lookup = handlers.withLock { table -> (MethodRegistration, [String: String])? in
            let key = MethodPattern.split(request.method).joined(separator: "/")
            if let literal = table.literalMethods[key] { return (literal, [:]) }
            for registration in table.patternMethods {
                if let captures = registration.pattern.match(request.method) { return (registration, captures) }
            }
            return nil
        }
        guard let (registration, captures) = lookup else {
            return .text("no handler for method '\(request.method)' in app '\(appID)'", status: .notFound)
        }
        if let allowed = registration.httpMethods, !allowed.contains(request.httpMethod.rawValue) {
            return .text("method '\(request.method)' does not answer \(request.httpMethod.rawValue)", status: .methodNotAllowed)
        }
        var request = request
        request.pathParameters = captures
        let context = TraceContextCarrier.context(extractingFrom: [
            "traceparent": request.headers[.traceparent] ?? "", "tracestate": request.headers[.tracestate] ?? "",
        ])
        return await withSpan(request.method, context: context, ofKind: .server) { span in
            span.attributes["rpc.system"] = "dapr"
            span.attributes["rpc.service"] = appID
            span.attributes["rpc.method"] = request.method
            do {
                return try await registration.handler(request)
            } catch {
                span.recordError(error)
                logger.debug("an invocation handler threw", metadata: ["method": "\(request.method)", "error": "\(error)"])
                return .text("\(error)", status: .internalServerError)
            }
        }
    }

    private static func trimmed(_ method: String) -> String {
        method.hasPrefix("/") ? String(method.drop { $0 == "/" }) : method
    }
}
