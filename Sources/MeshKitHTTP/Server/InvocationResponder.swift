import Foundation
import HTTPTypes
import MeshKit
import NIOCore
import NIOHTTP1

/// Decides how the server answers a complete request: Dapr's invocation path goes to
/// `mesh.handleInvocation`, `GET /v1.0/healthz` answers 204, anything else 404.
struct InvocationResponder: Sendable {
    /// What a request asks for.
    enum Route {
        /// An answer the server gives itself, without running a handler.
        case answer(InvocationResponse)
        /// An invocation for the mesh's handler, bounded by the caller's deadline if it sent one.
        case invoke(InvocationRequest, deadline: ContinuousClock.Instant?)
    }

    let mesh: Mesh

    /// Where the request `head` with `body` goes.
    func route(_ head: HTTPRequestHead, body: ByteBuffer, authorization: InboundAuthorization? = nil) -> Route {
        let path = InvocationPath(target: head.uri)
        if let refusal = authorization?.tokenRefusal(head, path: path) { return .answer(refusal) }
        switch path {
        case .health:
            let status: HTTPResponse.Status = head.method == .GET || head.method == .HEAD ? .noContent : .methodNotAllowed
            return .answer(InvocationResponse(status: status))
        case .unknown:
            return .answer(
                .text(
                    "no route for '\(head.uri)'; MeshKit answers /v1.0/invoke/{appId}/method/{method} and /v1.0/healthz",
                    status: .notFound
                )
            )
        case .invoke(let appID, let method):
            guard addresses(appID) else {
                let message = "app ID '\(appID)' is not served here; this server serves '\(mesh.appID)'"
                return .answer(.error(.appNotFound, message, status: .notFound))
            }
            guard let normalized = AuthorizationPath.normalize(method) else {
                return .answer(.error(.malformedRequest, "the method path is not valid", status: .badRequest))
            }
            let request = InvocationRequest(
                appID: mesh.appID,
                method: String(normalized.dropFirst()),
                httpMethod: HTTPRequest.Method(head.method.rawValue) ?? .get,
                headers: Self.fields(head.headers),
                query: InvocationPath.queryItems(target: head.uri),
                body: Data(body.readableBytesView)
            )
            let deadline = head.headers.first(name: "x-meshkit-deadline").flatMap(DeadlineHeader.remaining).map { ContinuousClock.now + $0 }
            return .invoke(request, deadline: deadline)
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
            guard let fieldName = HTTPField.Name(name), !hopByHop.contains(fieldName.canonicalName), fieldName != .daprAPIToken else {
                continue
            }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }
}
