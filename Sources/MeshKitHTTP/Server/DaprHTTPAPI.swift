public import Foundation
public import HTTPTypes
public import MeshKit

/// Dapr's HTTP API of one mesh, for an HTTP server other than ``MeshHTTPServer`` (Hummingbird,
/// say), so that one server and one port answer the app's own routes and MeshKit's:
/// `/v1.0/invoke/{appId}/method/{method}` (or any path with a `dapr-app-id` header) runs the
/// mesh's handler under its inbound policies, with the caller's deadline; `/v1.0/healthz` and
/// `/v1.0/healthz/outbound` answer as a sidecar does; the rest of Dapr's API answers 404.
///
/// It authorizes as ``MeshHTTPServer`` does: with an API token, a request without it in
/// `dapr-api-token` answers 401 (health checks need none); an invocation the mesh's
/// ``Mesh/authorizer`` denies answers 403, `RBAC: access denied` for an Istio
/// `AuthorizationPolicy`, Dapr's `ERR_PERMISSION_DENIED` for its `accessControl`. The server
/// tells it who the caller is (``InboundCaller``); an unknown caller is an unauthenticated one.
/// ``appRouteRefusal(method:path:headers:host:caller:)`` authorizes the app's own routes the
/// same way.
///
/// ```swift
/// let api = DaprHTTPAPI(mesh: mesh, apiToken: token)
/// if DaprHTTPAPI.serves(path: request.path, headers: request.headerFields) {
///     return await api.respond(
///         method: request.method, target: request.path, headers: request.headerFields, body: body,
///         host: request.authority, caller: InboundCaller(address: remoteIP)
///     )
/// }
/// ```
public struct DaprHTTPAPI: Sendable {
    private let responder: InvocationResponder

    /// Serves `mesh`'s invocations and health endpoints; with an `apiToken`, only to callers
    /// that send it in `dapr-api-token`, as a sidecar with `DAPR_API_TOKEN` does.
    public init(mesh: Mesh, apiToken: APIToken? = nil) {
        self.responder = InvocationResponder(
            mesh: mesh,
            health: ServerHealth(mesh: mesh),
            authorization: InboundAuthorization(authorizer: mesh.authorizer, apiToken: apiToken, logger: mesh.logger)
        )
    }

    /// Whether a request is MeshKit's rather than the app's own: its path is in Dapr's API
    /// (`/v1.0/…`, `/v1.0-alpha1/…`) or it carries a `dapr-app-id` header.
    public static func serves(path: String, headers: HTTPFields) -> Bool {
        if let appID = headers.value(of: .daprAppID), !appID.isEmpty { return true }
        let slash = UInt8(ascii: "/")
        let first = path.utf8.drop { $0 == slash }.prefix { $0 != slash && $0 != UInt8(ascii: "?") }
        return first.starts(with: "v1.0".utf8) && (first.count == 4 || first.dropFirst(4).first == UInt8(ascii: "-"))
    }

    /// The deadline a MeshKit caller sent (`x-meshkit-deadline`, the time it has left), as an
    /// instant of this process; `nil` without one. Bind it to ``MeshDeadline/current`` around a
    /// route so that the calls it makes inherit it.
    public static func callerDeadline(in headers: HTTPFields) -> ContinuousClock.Instant? {
        headers.value(of: .meshKitDeadline).flatMap(DeadlineHeader.remaining).map { ContinuousClock.now + $0 }
    }

    /// The answer to a request: `target` is the request target (path and query), `headers`
    /// the request's fields, `host` its `Host` (`:authority`, which HTTPTypes keeps out of
    /// `headers`), and `caller` who sent it, unknown by default. Without the API token this API
    /// requires, 401; an invocation that the mesh's authorization denies, 403; the handler never
    /// sees the token.
    public func respond(
        method: HTTPRequest.Method,
        target: String,
        headers: HTTPFields,
        body: Data,
        host: String? = nil,
        caller: InboundCaller = .unknown
    ) async -> InvocationResponse {
        let fields = Self.withoutHopByHop(headers)
        switch responder.route(method: method.rawValue, target: target, host: host, headers: fields, body: body, caller: caller) {
        case .answer(let response):
            return response
        case .invoke(let request, let deadline):
            return await responder.invoke(request, deadline: deadline)
        }
    }

    /// The answer to give instead of running one of the app's own routes, or `nil` to let it
    /// run: the mesh's authorization on `path` (the request path the server's router matched,
    /// its query ignored) normalized as Istio normalizes it (``AuthorizationPath/normalize(_:)``),
    /// the way ``MeshHTTPServer`` authorizes the requests it hands the app. A denial answers 403,
    /// `RBAC: access denied` (Envoy's answer) for an Istio `AuthorizationPolicy`, Dapr's
    /// `ERR_PERMISSION_DENIED` for its `accessControl`. An invalid path (`%00`) answers 400, and
    /// so does a path with dot segments (`/a/../b`): Envoy routes the path it authorized, with
    /// those resolved, but the server's router has matched them as they came, so the route
    /// would not be the one authorized. With no policy for the app, the answer is always `nil`.
    /// No API token is required: it guards Dapr's API, not the app's. `host` and `caller` are as
    /// in ``respond(method:target:headers:body:host:caller:)``.
    public func appRouteRefusal(
        method: HTTPRequest.Method,
        path: String,
        headers: HTTPFields,
        host: String? = nil,
        caller: InboundCaller = .unknown
    ) -> InvocationResponse? {
        guard !responder.authorization.authorizer.isEmpty else { return nil }
        guard let normalized = AuthorizationPath.normalize(path) else {
            return .error(.malformedRequest, "the path is not valid", status: .badRequest)
        }
        if RoutedPath.hasDotSegment(path) {
            return .error(
                .malformedRequest,
                "the path has dot segments, which would be authorized resolved but routed as they are",
                status: .badRequest
            )
        }
        return responder.authorization.refusal(
            method: method.rawValue,
            path: normalized,
            headers: Self.withoutHopByHop(headers),
            host: host,
            caller: caller
        )
    }

    /// `headers` without the fields that describe one hop's connection.
    private static func withoutHopByHop(_ headers: HTTPFields) -> HTTPFields {
        var fields = headers
        for name in InvocationResponder.hopByHop { if let field = HTTPField.Name(name) { fields[field] = nil } }
        return fields
    }
}
