import Foundation
public import Hummingbird
public import MeshKit
import MeshKitHTTP

/// MeshKit on a Hummingbird server: one server and one port answer the app's own routes and
/// MeshKit's.
///
/// - Requests for Dapr's API (`/v1.0/invoke/{appId}/method/{method}`, `/v1.0/healthz`,
///   `/v1.0/healthz/outbound`, or any path with a `dapr-app-id` header) are answered by the mesh
///   (``DaprHTTPAPI``), as a sidecar or ``MeshHTTPServer`` would; the app's routes never see
///   them.
/// - Every other request reaches the app's routes under the caller's deadline, when a MeshKit
///   caller sent one (``DaprHTTPAPI/callerDeadline(in:)``), and the mesh's inbound policies
///   (``Mesh/withInboundPolicies(method:route:headers:status:_:)``): over the rate or
///   concurrency limit it answers 429, past the inbound timeout 504, with the inbound breaker
///   open 503, each with Dapr's error JSON; a 5xx from a route counts against the breaker. It
///   runs in a server span named after the route's pattern (`GET /orders/{id}`) and counts in
///   `http.server.request.duration`.
///
/// Add it before the routes, since Hummingbird gives a route the middleware added before it:
///
/// ```swift
/// let router = Router()
/// router.add(middleware: MeshKitMiddleware(mesh: mesh))
/// router.get("/orders/{id}") { _, context in ... }
/// ```
public struct MeshKitMiddleware<Context: RequestContext>: RouterMiddleware {
    private let mesh: Mesh
    private let api: DaprHTTPAPI
    private let maxBodySize: Int
    private let appliesInboundPolicies: Bool

    /// Serves `mesh`'s invocations, bounding an invocation's body at `maxBodySize` bytes (413
    /// past it), and applies the mesh's inbound policies to the app's routes unless
    /// `appliesInboundPolicies` is `false`.
    public init(mesh: Mesh, maxBodySize: Int = 4 << 20, appliesInboundPolicies: Bool = true) {
        self.mesh = mesh
        self.api = DaprHTTPAPI(mesh: mesh)
        self.maxBodySize = maxBodySize
        self.appliesInboundPolicies = appliesInboundPolicies
    }

    /// Answers a request for Dapr's API, or passes it on to the app's routes.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if DaprHTTPAPI.serves(path: request.uri.path, headers: request.headers) {
            return try await invoke(request)
        }
        guard appliesInboundPolicies else { return try await next(request, context) }
        return try await withoutActuallyEscaping(next) { next in
            // The stack runs `body` in this task, before `withInboundPolicies` returns.
            let call = UncheckedCall(next: next, request: request, context: context)
            do {
                let deadline = DaprHTTPAPI.callerDeadline(in: request.headers) ?? MeshDeadline.current
                return try await MeshDeadline.$current.withValue(deadline) {
                    try await mesh.withInboundPolicies(
                        method: request.method,
                        route: context.endpointPath ?? request.uri.path,
                        headers: request.headers,
                        status: { $0.status.code }
                    ) { try await call.run() }
                }
            } catch let error as MeshError {
                return Self.response(.error(error.code, error.message, status: HTTPResponse.Status(code: error.code.httpStatus)))
            }
        }
    }

    private func invoke(_ request: Request) async throws -> Response {
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
            body: Data(body.readableBytesView)
        )
        return Self.response(response)
    }

    /// A Hummingbird response carrying `response`.
    static func response(_ response: InvocationResponse) -> Response {
        var headers = response.headers
        headers[.contentLength] = String(response.body.count)
        return Response(status: response.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}

/// The rest of the middleware chain, carried into the `@Sendable` body the mesh's stack runs in
/// the same task. A route's error that Hummingbird would turn into a response (a 404, a 400) is
/// turned into it here, so that the breaker sees its status rather than a thrown error.
private struct UncheckedCall<Context: RequestContext>: @unchecked Sendable {
    let next: (Request, Context) async throws -> Response
    let request: Request
    let context: Context

    func run() async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        }
    }
}
