import Foundation
import HTTPTypes
import MeshKit
import NIOCore
import NIOHTTP1

/// Decides how the server answers a complete request, as a Dapr sidecar routes it (see
/// ``InvocationPath``): an invocation of this app goes to `mesh.handleInvocation` once it passed
/// the ``InboundAuthorization``, Dapr's health endpoints to ``ServerHealth``, another app's
/// invocation and the rest of Dapr's API 404.
struct InvocationResponder: Sendable {
    /// What a request asks for.
    enum Route {
        /// An answer the server gives itself, without running a handler.
        case answer(InvocationResponse)
        /// An invocation for the mesh's handler, bounded by the caller's deadline if it sent one.
        case invoke(InvocationRequest, deadline: ContinuousClock.Instant?)
    }

    let mesh: Mesh
    let health: ServerHealth
    let authorization: InboundAuthorization

    /// Where the request `head` with `body`, from `peer`, goes.
    func route(_ head: HTTPRequestHead, body: ByteBuffer, peer: ConnectionPeer) -> Route {
        route(
            method: head.method.rawValue,
            target: head.uri,
            host: head.headers.first(name: "host"),
            headers: Self.fields(head.headers),
            body: Data(body.readableBytesView),
            caller: peer.caller
        )
    }

    /// Where a request goes: `method` and `target` (path and query) as the request line gives
    /// them, `host` its `Host` (or `:authority`), `headers` without hop-by-hop fields, from
    /// `caller`. A request without the API token the server requires is answered 401, an
    /// invocation that authorization denies 403; the token never reaches the handler.
    func route(method: String, target: String, host: String?, headers: HTTPFields, body: Data, caller: InboundCaller) -> Route {
        let path = InvocationPath(target: target, appIDHeader: headers[.daprAppID])
        if let refusal = authorization.tokenRefusal(headers, path: path) { return .answer(refusal) }
        var headers = headers
        headers[.daprAPIToken] = nil
        switch path {
        case .health:
            guard method == "GET" || method == "HEAD" else { return .answer(InvocationResponse(status: .methodNotAllowed)) }
            let appID = InvocationPath.queryItems(target: target).first { $0.name == "appid" }?.value
            return .answer(health.inbound(appID: appID))
        case .outboundHealth:
            guard method == "GET" || method == "HEAD" else { return .answer(InvocationResponse(status: .methodNotAllowed)) }
            return .answer(health.outbound())
        case .unknown:
            return .answer(
                .text(
                    "no route for '\(target)'; of Dapr's API, MeshKit answers /v1.0/invoke/{appId}/method/{method}, "
                        + "/v1.0/healthz and /v1.0/healthz/outbound",
                    status: .notFound
                )
            )
        case .invoke(let appID, let invoked):
            if let appID, !addresses(appID) {
                let message = "app ID '\(appID)' is not served here; this server serves '\(mesh.appID)'"
                return .answer(.error(.appNotFound, message, status: .notFound))
            }
            // Istio's normalization on top of Dapr's cleaning, so that authorization and the
            // handler see the same path.
            guard let normalized = AuthorizationPath.normalize("/" + invoked) else {
                return .answer(.error(.malformedRequest, "the method path is not valid", status: .badRequest))
            }
            // Dapr removes the header once it has routed by it (directmessaging.go).
            headers[.daprAppID] = nil
            var request = InvocationRequest(
                appID: mesh.appID,
                method: String(normalized.dropFirst()),
                httpMethod: HTTPRequest.Method(method) ?? .get,
                headers: headers,
                query: InvocationPath.queryItems(target: target),
                body: body
            )
            request.peerIdentity = caller.identity
            request.peerAddress = caller.address
            if let refusal = authorization.refusal(
                method: request.httpMethod.rawValue,
                path: normalized,
                headers: headers,
                host: host,
                caller: caller
            ) {
                return .answer(refusal)
            }
            return .invoke(request, deadline: DaprHTTPAPI.callerDeadline(in: headers))
        }
    }

    /// Runs the mesh's handler for `request`; the caller's deadline travels on to the calls the
    /// handler makes.
    func invoke(_ request: InvocationRequest, deadline: ContinuousClock.Instant?) async -> InvocationResponse {
        await MeshDeadline.$current.withValue(deadline ?? MeshDeadline.current) { await mesh.handleInvocation(request) }
    }

    /// Whether a path's app ID names this mesh: `app` or, with a namespace, `app.namespace`.
    private func addresses(_ appID: String) -> Bool {
        if appID == mesh.appID { return true }
        if let namespace = mesh.namespace { return appID == "\(mesh.appID).\(namespace)" }
        return false
    }

    /// Headers that describe one hop's connection or framing, never passed on.
    static let hopByHop: Set<String> = ["connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"]

    private static func fields(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name), !hopByHop.contains(fieldName.canonicalName) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }
}
