public import Logging
public import MeshKit
import NIOCore
import NIOHTTP1
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// The inbound side of service invocation: an HTTP/1.1 server (keep-alive, pipelining,
/// SwiftNIO) for one mesh that answers the invocation and health part of a Dapr sidecar's HTTP
/// API, and the app's own method paths, as a Dapr sidecar routes them (dapr/dapr
/// `pkg/api/http/directmessaging.go` and `healthz.go`).
///
/// Who can call it: MeshKit's ``HTTPInvocationTransport``; a Dapr SDK or any HTTP client pointed
/// at it as its sidecar (`DAPR_HTTP_ENDPOINT`), for invocations of this app; and a Dapr sidecar
/// whose app port is this server's, which calls the app at `/{method}`. A Dapr sidecar does
/// *not* call another sidecar over HTTP but over its internal gRPC API, which this server does
/// not speak: a Dapr app reaches a MeshKit app only through its own sidecar's app channel, or
/// by calling this server directly.
///
/// - `POST|GET|… /v1.0/invoke/{appId}/method/{method}?{query}`, `/{method}` with a
///   `dapr-app-id: {appId}` header, and `/{method}` without one (this app, as a sidecar calls its
///   app) go to `mesh.handleInvocation(_:)` with the caller's headers, so the server span
///   continues the caller's trace, and within the caller's `x-meshkit-deadline` (504 once it
///   passes). An `appId` other than the mesh's (or `appId.namespace`) gets 404 with Dapr's error
///   JSON. Method paths are percent-decoded and cleaned as Dapr cleans them (`x/../hello` is
///   `hello`), as a rooted path, so `..` never leaves the method namespace. HEAD is answered
///   wherever GET is, without the body.
/// - `GET|HEAD /v1.0/healthz` answers 204 while the mesh runs (``MeshPhase/running``), and 500
///   with `ERR_HEALTH_NOT_READY` before ``Mesh/run()`` starts and once a shutdown of the mesh or
///   the server has begun; `/v1.0/healthz/outbound` answers 204 from the start until then
///   (`ERR_OUTBOUND_HEALTH_NOT_READY`). Any other path of Dapr's API (`/v1.0…`) answers 404.
/// - `Expect: 100-continue` is answered with `100 Continue` once the request head is accepted.
/// - With ``Configuration/tls``, connections are TLS or mTLS as Istio's PeerAuthentication
///   mode says (see ``TLS``), and each request carries the caller's verified identity in
///   `InvocationRequest.peerIdentity`; every request carries the caller's IP address in
///   `InvocationRequest.peerAddress`.
/// - Before a handler runs, the call passes the mesh's ``MeshKit/Authorizer`` on the caller's
///   verified identity: an `AuthorizationPolicy` denial answers 403 `RBAC: access denied`, as
///   Envoy does; a Dapr `accessControl` denial answers 403 with Dapr's error JSON. With
///   ``Configuration/apiToken`` set, a request without that `dapr-api-token` answers 401. The
///   method path is normalized first (``MeshKit/AuthorizationPath``) and the handler sees the
///   normalized path.
/// - A handler that throws answers Dapr's error JSON, `{"errorCode": …, "message": …}`, whose
///   message carries no internal detail; the full error is logged with its `trace_id` (see
///   `Mesh.handleInvocation(_:)` for the statuses).
/// - A body over ``Configuration/maxBodySize`` gets 413, headers over
///   ``Configuration/maxHeaderSize`` get 431, a malformed request or an HTTP/1.1 request
///   without a `Host` header gets 400; each closes the connection. A client that does not send
///   its headers within ``Configuration/headerTimeout`` (``Configuration/idleTimeout`` between
///   requests) is disconnected; one that does not finish its body within
///   ``Configuration/bodyTimeout`` gets 408.
///
/// Each connection is served by a child task of ``run()``, which answers its requests one at a
/// time, in order. A connection buffers at most one request body and a few parts of the next
/// request (NIO's inbound backpressure stops reading from the socket beyond that). At most
/// ``Configuration/maxConcurrentRequests`` handlers run at once; at that limit, connections
/// wait and read nothing more. A client that closes its connection cancels its handler.
///
/// Run it next to the mesh in a `ServiceGroup`:
///
/// ```swift
/// let server = MeshHTTPServer(mesh: mesh, configuration: .init(port: 3501))
/// let group = ServiceGroup(services: [mesh, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// A graceful shutdown stops accepting at once, closes idle connections, and lets requests in
/// flight finish for up to ``Configuration/shutdownGracePeriod``; then it cancels their
/// handlers and closes their connections, and ``run()`` returns. Cancelling ``run()`` cancels
/// every handler and closes every connection at once.
public final class MeshHTTPServer: Service {
    /// The configuration.
    public let configuration: Configuration
    let mesh: Mesh
    private let logger: Logger
    private let binding = Mutex(Binding())

    private struct Binding {
        var port: Int?
        var failure: MeshError?
        var waiters: [CheckedContinuation<Int, any Error>] = []
    }

    /// Creates a server for `mesh`; it listens once ``run()`` runs.
    ///
    /// - Parameter logger: where the server logs; by default the mesh's logger
    ///   (``Mesh/logger``, from ``MeshConfiguration/logger``), with `component: http.server`.
    public init(mesh: Mesh, configuration: Configuration = Configuration(), logger: Logger? = nil) {
        self.mesh = mesh
        self.configuration = configuration
        var logger = logger ?? mesh.logger
        logger[metadataKey: "component"] = "http.server"
        self.logger = logger
    }

    /// The port the server listens on, once it does: waits for ``run()`` to bind, and throws
    /// ``MeshError/Code/componentInitFailed`` if binding failed.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<Int, MeshError>? = binding.withLock { binding in
                if let port = binding.port { return .success(port) }
                if let failure = binding.failure { return .failure(failure) }
                binding.waiters.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(with: outcome.mapError { $0 as any Error }) }
        }
    }

    /// Listens and answers until a graceful shutdown or cancellation, serving each connection in
    /// a child task of this one.
    ///
    /// A graceful shutdown stops accepting at once, closes idle connections and lets requests in
    /// flight finish within ``Configuration/shutdownGracePeriod``; then it cancels the handlers
    /// still running and closes their connections. Cancelling the task that runs `run()` does
    /// all of that at once. `run()` returns when every connection is closed.
    public func run() async throws {
        let listener: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            listener = try await bind()
        } catch {
            let failure = MeshError(
                .componentInitFailed,
                "the MeshKit HTTP server could not listen on \(configuration.host):\(configuration.port): \(error)",
                context: .init(subject: mesh.appID),
                underlying: error
            )
            settle(.failure(failure))
            throw failure
        }
        let port = listener.channel.localAddress?.port ?? configuration.port
        if let failure = plaintextRefusal(port: port) {
            try? await listener.channel.close()
            settle(.failure(failure))
            throw failure
        }
        settle(.success(port))
        logger.debug("MeshKit HTTP server listening", metadata: ["address": "\(listener.channel.localAddress.map { "\($0)" } ?? "?")"])
        let health = ServerHealth(mesh: mesh)
        let connection = HTTPConnection(
            responder: InvocationResponder(
                mesh: mesh,
                health: health,
                authorization: InboundAuthorization(authorizer: mesh.authorizer, apiToken: configuration.apiToken, logger: logger)
            ),
            permits: RequestPermits(limit: configuration.maxConcurrentRequests),
            logger: logger
        )
        let gracePeriod = configuration.shutdownGracePeriod
        await withTaskGroup(of: Void.self) { server in
            server.addTask { await Self.serve(listener, with: connection, logger: self.logger) }
            server.addTask {
                // Ends when the grace period of a graceful shutdown is over, or on cancellation.
                try? await gracefulShutdown()
                health.shutdownBegan()
                try? await Task.sleep(for: gracePeriod)
            }
            await server.next()
            server.cancelAll()
        }
    }

    /// Accepts connections until the listener closes, each served in a child task; returns when
    /// the last one has closed. A graceful shutdown closes the listener.
    private static func serve(_ listener: NIOAsyncChannel<AcceptedConnection, Never>, with connection: HTTPConnection, logger: Logger) async
    {
        await withDiscardingTaskGroup { connections in
            await withGracefulShutdownHandler {
                do {
                    try await listener.executeThenClose { accepted in
                        for try await acceptedConnection in accepted {
                            connections.addTask { await connection.serve(acceptedConnection) }
                        }
                    }
                } catch {
                    logger.debug("the MeshKit HTTP server stopped accepting", metadata: ["error": "\(error)"])
                }
            } onGracefulShutdown: {
                listener.channel.close(promise: nil)
            }
        }
    }

    private func bind() async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        let limits = HTTPConnectionGuard.Limits(
            maxBodySize: configuration.maxBodySize,
            maxHeaderSize: configuration.maxHeaderSize,
            headerTimeout: TimeAmount(configuration.headerTimeout),
            idleTimeout: TimeAmount(configuration.idleTimeout),
            bodyTimeout: TimeAmount(configuration.bodyTimeout)
        )
        let security = ConnectionSecurity(tls: configuration.tls, mode: modeOfPort, logger: logger)
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderListSize = configuration.maxHeaderSize
        decoderLimits.maxHeaderFieldSize = configuration.maxHeaderSize
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: Int32(clamping: configuration.backlog))
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: false)  // until the serving task wraps it
            .bind(host: configuration.host, port: configuration.port) { [decoderLimits, peerIdentity = configuration.peerIdentity] channel in
                channel.eventLoop.makeCompletedFuture {
                    let peer = ConnectionPeer(address: channel.remoteAddress?.ipAddress, localPort: channel.localAddress?.port)
                    if let peerIdentity, let uri = peerIdentity(channel), let spiffeID = try? SPIFFEID(parsing: uri) {
                        peer.identity = PeerIdentity(spiffeID: spiffeID)
                    }
                    try security.configure(channel, peer: peer)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: true,
                        withErrorHandling: false,
                        withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
                        withDecoderLimitConfiguration: decoderLimits
                    )
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionGuard(limits: limits))
                    return AcceptedConnection(channel, peer: peer)
                }
            }
    }

    private func settle(_ outcome: Result<Int, MeshError>) {
        let waiters = binding.withLock { binding in
            switch outcome {
            case .success(let port): binding.port = port
            case .failure(let failure): binding.failure = failure
            }
            defer { binding.waiters = [] }
            return binding.waiters
        }
        for waiter in waiters { waiter.resume(with: outcome.mapError { $0 as any Error }) }
    }
}
