public import MeshKit
import NIOCore

extension MeshHTTPServer {
    /// Stands for the SPIFFE ID a TLS handshake would verify, once per connection: a test seam,
    /// internal, for authorization tests over plaintext. Served connections get their identity
    /// from the handshake (``TLS``); no request header ever takes its place.
    typealias PeerIdentityHook = @Sendable (any Channel) -> String?

    /// Where the server listens and the limits it enforces.
    public struct Configuration: Sendable {
        /// The address to bind: `127.0.0.1` (the default) serves this machine only; `0.0.0.0`
        /// (or `::`) serves every interface, for callers on other machines.
        public var host: String
        /// The host other apps are told to call this server at (``MeshHTTPServer/announcedEndpoint()``,
        /// what a name registry such as Redis's records): a name or address that callers can
        /// dial, such as a pod IP or a DNS name. `nil`, the default, announces ``host`` itself,
        /// or, when ``host`` is a wildcard (`0.0.0.0`, `::`), this machine's first non-loopback
        /// IPv4 address.
        public var announcedHost: String?
        /// The port; 0 picks a free one, which ``MeshHTTPServer/boundPort()`` returns.
        public var port: Int
        /// The largest request body accepted; larger ones get 413. Dapr's default is 4 MiB.
        public var maxBodySize: Int
        /// The largest total size of the request headers (names and values); larger ones get 431.
        public var maxHeaderSize: Int
        /// How long a client may take to send a request's headers, from the connection's start
        /// or the end of the previous response; then the connection is closed.
        public var headerTimeout: Duration
        /// How long a client may take to send a request's body, from the end of its headers;
        /// then it gets 408 and the connection is closed.
        public var bodyTimeout: Duration
        /// How long a kept-alive connection may stay idle before it is closed.
        public var idleTimeout: Duration
        /// How many invocation handlers may run at once across all connections. At the limit, a
        /// connection with a complete request waits for a handler to finish and reads nothing
        /// more meanwhile; health checks do not count.
        public var maxConcurrentRequests: Int
        /// How long a graceful shutdown lets requests in flight finish once the server stopped
        /// accepting; then their handlers are cancelled and their connections closed. The
        /// default, 10 seconds, leaves room within Kubernetes' default 30-second termination
        /// grace period for the rest of the process to shut down.
        public var shutdownGracePeriod: Duration
        /// The listen backlog.
        public var backlog: Int
        /// TLS and mTLS; `nil`, the default, serves plaintext. See ``MeshHTTPServer/TLS``.
        public var tls: TLS?
        /// The token every request but `/v1.0/healthz` must carry in `dapr-api-token`, or get
        /// 401: Dapr's `DAPR_API_TOKEN` (``APIToken/fromEnvironment(_:)``), or the
        /// `APP_API_TOKEN` a Dapr sidecar calling this app sends. `nil` requires none. The
        /// header is removed before the handler sees the request.
        public var apiToken: APIToken?
        /// The test seam standing for a verified peer; see ``PeerIdentityHook``.
        var peerIdentity: PeerIdentityHook?

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1",
            port: Int = 3500,
            announcedHost: String? = nil,
            maxBodySize: Int = 4 * 1024 * 1024,
            maxHeaderSize: Int = 16 * 1024,
            headerTimeout: Duration = .seconds(10),
            idleTimeout: Duration = .seconds(60),
            backlog: Int = 256,
            bodyTimeout: Duration = .seconds(30),
            maxConcurrentRequests: Int = 1024,
            shutdownGracePeriod: Duration = .seconds(10),
            tls: TLS? = nil,
            apiToken: APIToken? = nil
        ) {
            self.host = host
            self.port = port
            self.announcedHost = announcedHost
            self.maxBodySize = maxBodySize
            self.maxHeaderSize = maxHeaderSize
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
            self.idleTimeout = idleTimeout
            self.maxConcurrentRequests = maxConcurrentRequests
            self.shutdownGracePeriod = shutdownGracePeriod
            self.backlog = backlog
            self.tls = tls
            self.apiToken = apiToken
        }
    }
}
