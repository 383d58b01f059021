extension MeshHTTPServer {
    /// Where the server listens and the limits it enforces.
    public struct Configuration: Sendable {
        /// The address to bind, such as `127.0.0.1` or `::1`.
        public var host: String
        /// The port; 0 picks a free one, which ``MeshHTTPServer/boundPort()`` returns.
        public var port: Int
        /// The largest request body accepted; larger ones get 413. Dapr's default is 4 MiB.
        public var maxBodySize: Int
        /// The largest total size of the request headers (names and values); larger ones get 431.
        public var maxHeaderSize: Int
        /// How long a client may take to send a request's headers, from the connection's start
        /// or the end of the previous response; then the connection is closed.
        public var headerTimeout: Duration
        /// How long a kept-alive connection may stay idle before it is closed.
        public var idleTimeout: Duration
        /// The listen backlog.
        public var backlog: Int

        /// Creates a configuration.
        public init(
            host: String = "127.0.0.1",
            port: Int = 3500,
            maxBodySize: Int = 4 * 1024 * 1024,
            maxHeaderSize: Int = 16 * 1024,
            headerTimeout: Duration = .seconds(10),
            idleTimeout: Duration = .seconds(60),
            backlog: Int = 256
        ) {
            self.host = host
            self.port = port
            self.maxBodySize = maxBodySize
            self.maxHeaderSize = maxHeaderSize
            self.headerTimeout = headerTimeout
            self.idleTimeout = idleTimeout
            self.backlog = backlog
        }
    }
}
