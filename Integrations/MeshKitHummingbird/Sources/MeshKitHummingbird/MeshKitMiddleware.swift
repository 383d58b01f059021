import Foundation
public import Hummingbird
public import MeshKit
import MeshKitHTTP
import NIOCore

/// MeshKit on a Hummingbird server: one server and one port answer the app's own routes and
/// MeshKit's.
///
/// - Requests for Dapr's API (`/v1.0/invoke/{appId}/method/{method}`, `/v1.0/healthz`,
///   `/v1.0/healthz/outbound`, or any path with a `dapr-app-id` header) are answered by the mesh
///   (``DaprHTTPAPI``), as a sidecar or ``MeshHTTPServer`` would; the app's routes never see
///   them. With an `apiToken`, a request without it in `dapr-api-token` answers 401 (health
///   checks need none).
/// - Every request is authorized as ``MeshHTTPServer`` authorizes it, by the mesh's
///   ``Mesh/authorizer`` (Istio `AuthorizationPolicy`, Dapr `accessControl`), before any route
///   runs: an invocation on its method path, a request for the app's own routes on its path
///   normalized as Istio normalizes it (``AuthorizationPath/normalize(_:)``). A denial answers
///   403, `RBAC: access denied` as Envoy does (or Dapr's `ERR_PERMISSION_DENIED` for
///   `accessControl`), and the route never runs. A path with `%00` answers 400, and so does a
///   path with dot segments (`/a/../b`): Envoy resolves them before it routes, Hummingbird
///   routes them as they came, so the route would not be the one authorized. With no policy
///   for the app, nothing is checked.
/// - The caller is known by its address when the request context provides it
///   (`RemoteAddressRequestContext`), and by its identity only through `peerIdentity`, for an
///   app that terminates mTLS itself and verifies the client's certificate against the mesh's
///   trust bundle: without it, every caller is unauthenticated, so a rule that allows only
///   some principals or namespaces denies everyone. Never derive the identity from a header a
///   caller can write. Hummingbird does not tell the port a request arrived on, so a rule on
///   `ports` never matches.
/// - An allowed request for the app's routes runs under the caller's deadline, when a MeshKit
///   caller sent one (``DaprHTTPAPI/callerDeadline(in:)``), and the mesh's inbound policies
///   (``Mesh/withInboundPolicies(method:route:headers:status:_:)``): over the rate or
///   concurrency limit it answers 429, past the inbound timeout 504, with the inbound breaker
///   open 503, each with Dapr's error JSON; a 5xx from a route counts against the breaker. It
///   runs in a server span named after the route's pattern (`GET /orders/{id}`) and counts in
///   `http.server.request.duration`. When nothing of those needs more than a check before the
///   route and a record after it (no inbound timeout or deadline, no tracing instrument), the
///   middleware awaits the route itself between the two (``Mesh/admitInbound(method:route:headers:)``),
///   which spares each request the closures and async frames of running it through the stack.
///
/// Add it before the routes, since Hummingbird gives a route the middleware added before it:
///
/// ```swift
/// let router = Router()
/// router.add(middleware: MeshKitMiddleware(mesh: mesh))
/// router.get("/orders/{id}") { _, context in ... }
/// ```
///
/// An app that verifies client certificates itself passes the identity they prove, from
/// wherever its request context keeps it:
///
/// ```swift
/// router.add(middleware: MeshKitMiddleware(mesh: mesh, peerIdentity: { _, context in context.clientIdentity }))
/// ```
public struct MeshKitMiddleware<Context: RequestContext>: RouterMiddleware {
    private let mesh: Mesh
    private let api: DaprHTTPAPI
    private let maxBodySize: Int
    private let appliesInboundPolicies: Bool
    private let peerIdentity: (@Sendable (Request, Context) -> PeerIdentity?)?
    /// Whether any policy applies to the app, read once: with none, routes skip authorization.
    private let authorizes: Bool

    /// Serves `mesh`'s invocations, bounding an invocation's body at `maxBodySize` bytes (413
    /// past it), and applies the mesh's inbound policies to the app's routes unless
    /// `appliesInboundPolicies` is `false`; authorization applies either way.
    ///
    /// - Parameters:
    ///   - apiToken: the token Dapr's API requires in `dapr-api-token` (`DAPR_API_TOKEN`);
    ///     `nil` requires none.
    ///   - peerIdentity: the identity a request's client certificate proved, verified against
    ///     the mesh's trust bundle, for an app that terminates mTLS itself; `nil` for a
    ///     request without one. Without it, every caller is unauthenticated.
    public init(
        mesh: Mesh,
        maxBodySize: Int = 4 << 20,
        appliesInboundPolicies: Bool = true,
        apiToken: APIToken? = nil,
        peerIdentity: (@Sendable (Request, Context) -> PeerIdentity?)? = nil
    ) {
        self.mesh = mesh
        self.api = DaprHTTPAPI(mesh: mesh, apiToken: apiToken)
        self.maxBodySize = maxBodySize
        self.appliesInboundPolicies = appliesInboundPolicies
        self.peerIdentity = peerIdentity
        self.authorizes = !mesh.authorizer.isEmpty
    }

    /// Answers a request for Dapr's API, or passes it on to the app's routes once authorized.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if DaprHTTPAPI.serves(path: request.uri.path, headers: request.headers) {
            return try await invoke(request, context: context)
        }
        if let refusal = refusal(of: request, context: context) { return Self.response(refusal) }
        guard appliesInboundPolicies else { return try await next(request, context) }
        let deadline = DaprHTTPAPI.callerDeadline(in: request.headers)
        let route = context.endpointPath ?? request.uri.path
        if deadline == nil {
            // The route awaited here, with no closure and no async frame of the stack around it,
            // when the stack's filters all run inline; `nil` when it needs the stack's `run`.
            let admitted: InboundAdmission?
            do {
                admitted = try mesh.admitInbound(method: request.method, route: route, headers: request.headers)
            } catch let error as MeshError {
                return Self.response(error)
            }
            if let admission = consume admitted {
                let response: Response
                do {
                    response = try await UncheckedRoute.respond(to: request, context: context, next: next)
                } catch {
                    mesh.finishInbound(admission, throwing: error)
                    throw error
                }
                mesh.finishInbound(admission, status: Int(response.status.code))
                return response
            }
        }
        return try await withoutActuallyEscaping(next) { next in
            // The stack runs the route in this task (or a child it awaits), before this returns.
            let unchecked = UncheckedRoute(next: next, request: request, context: context, route: route)
            do {
                guard let deadline else { return try await unchecked.run(under: mesh) }
                return try await MeshDeadline.$current.withValue(deadline) { try await unchecked.run(under: mesh) }
            } catch let error as MeshError {
                return Self.response(error)
            }
        }
    }

    /// The answer that stops a request for the app's routes, or `nil` to let it run: the path
    /// the router matched is the path authorized.
    private func refusal(of request: Request, context: Context) -> InvocationResponse? {
        guard authorizes else { return nil }
        return api.appRouteRefusal(
            method: request.method,
            path: request.uri.path,
            headers: request.headers,
            host: request.head.authority,
            caller: caller(of: request, context: context)
        )
    }

    /// Who sent `request`, as far as Hummingbird and the app know.
    private func caller(of request: Request, context: Context) -> InboundCaller {
        InboundCaller(
            address: (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress,
            identity: peerIdentity?(request, context)
        )
    }

    private func invoke(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodySize)
        } catch {
            return Response(status: .contentTooLarge)
        }
        let target = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        let response = await api.respond(
            method: request.method,
            target: target,
            headers: request.headers,
            body: Data(body.readableBytesView),
            host: request.head.authority,
            caller: caller(of: request, context: context)
        )
        return Self.response(response)
    }

    /// The answer to a request the mesh refused with `error`: its status, Dapr's error JSON.
    static func response(_ error: MeshError) -> Response {
        response(.error(error.code, error.message, status: HTTPResponse.Status(code: error.code.httpStatus)))
    }

    /// A Hummingbird response carrying `response`.
    static func response(_ response: InvocationResponse) -> Response {
        var headers = response.headers
        headers[.contentLength] = String(response.body.count)
        return Response(status: response.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}

/// The rest of the middleware chain, carried into the `@Sendable` body the mesh's stack runs,
/// which the stack awaits before the middleware returns. A route's error that Hummingbird would
/// turn into a response (a 404, a 400) is turned into it here, so that the breaker sees its
/// status rather than a thrown error.
private struct UncheckedRoute<Context: RequestContext>: @unchecked Sendable {
    let next: (Request, Context) async throws -> Response
    let request: Request
    let context: Context
    /// The pattern the router matched, or the path.
    let route: String

    /// Runs the route under `mesh`'s inbound policies.
    @inline(__always)
    nonisolated(nonsending) func run(under mesh: Mesh) async throws -> Response {
        try await mesh.withInboundPolicies(method: request.method, route: route, headers: request.headers, status: { $0.status.code }) {
            try await Self.respond(to: request, context: context, next: next)
        }
    }

    /// The response of the route to `request`, with an error Hummingbird would answer turned
    /// into that answer.
    @inline(__always)
    nonisolated(nonsending) static func respond(
        to request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        }
    }
}
