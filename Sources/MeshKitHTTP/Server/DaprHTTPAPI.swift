public import Foundation
public import HTTPTypes
public import MeshKit

/// Dapr's HTTP API of one mesh, for an HTTP server other than ``MeshHTTPServer`` (Hummingbird,
/// say), so that one server and one port answer the app's own routes and MeshKit's:
/// `/v1.0/invoke/{appId}/method/{method}` (or any path with a `dapr-app-id` header) runs the
/// mesh's handler under its inbound policies, with the caller's deadline; `/v1.0/healthz` and
/// `/v1.0/healthz/outbound` answer as a sidecar does; the rest of Dapr's API answers 404.
///
/// ```swift
/// let api = DaprHTTPAPI(mesh: mesh)
/// if DaprHTTPAPI.serves(path: request.path, headers: request.headerFields) {
///     return await api.respond(method: request.method, target: request.path, headers: request.headerFields, body: body)
/// }
/// ```
public struct DaprHTTPAPI: Sendable {
    private let responder: InvocationResponder

    /// Serves `mesh`'s invocations and health endpoints.
    public init(mesh: Mesh) {
        self.responder = InvocationResponder(mesh: mesh, health: ServerHealth(mesh: mesh))
    }

    /// Whether a request is MeshKit's rather than the app's own: its path is in Dapr's API
    /// (`/v1.0/…`, `/v1.0-alpha1/…`) or it carries a `dapr-app-id` header.
    public static func serves(path: String, headers: HTTPFields) -> Bool {
        if let appID = headers[.daprAppID], !appID.isEmpty { return true }
        let first = path.drop { $0 == "/" }.prefix { $0 != "/" && $0 != "?" }
        return first == "v1.0" || first.hasPrefix("v1.0-")
    }

    /// The deadline a MeshKit caller sent (`x-meshkit-deadline`, the time it has left), as an
    /// instant of this process; `nil` without one. Bind it to ``MeshDeadline/current`` around a
    /// route so that the calls it makes inherit it.
    public static func callerDeadline(in headers: HTTPFields) -> ContinuousClock.Instant? {
        headers[.meshKitDeadline].flatMap(DeadlineHeader.remaining).map { ContinuousClock.now + $0 }
    }

    /// The answer to a request: `target` is the request target (path and query), `headers`
    /// the request's fields.
    public func respond(method: HTTPRequest.Method, target: String, headers: HTTPFields, body: Data) async -> InvocationResponse {
        var fields = headers
        for name in InvocationResponder.hopByHop { if let field = HTTPField.Name(name) { fields[field] = nil } }
        switch responder.route(method: method.rawValue, target: target, headers: fields, body: body) {
        case .answer(let response):
            return response
        case .invoke(let request, let deadline):
            return await responder.invoke(request, deadline: deadline)
        }
    }
}
