public import MeshKit

extension HTTPInvocationTransport {
    /// Which HTTP version the transport asks for.
    public struct HTTPVersion: Sendable, Hashable {
        private enum Base: Hashable, Sendable { case http1, negotiated, priorKnowledge }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// HTTP/1.1 only.
        public static let http1 = HTTPVersion(.http1)
        /// HTTP/2 where a TLS peer offers it by ALPN, HTTP/1.1 otherwise (the default).
        public static let negotiated = HTTPVersion(.negotiated)
        /// HTTP/2 with prior knowledge, also in cleartext (h2c): only for peers known to speak it.
        /// With libcurl older than 8.0, whose reuse of h2c connections is broken
        /// (curl/curl#10634), every request opens its own connection.
        public static let http2PriorKnowledge = HTTPVersion(.priorKnowledge)

        var curlValue: Int {
            switch base {
            case .http1: 2  // CURL_HTTP_VERSION_1_1
            case .negotiated: 4  // CURL_HTTP_VERSION_2TLS
            case .priorKnowledge: 5  // CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
            }
        }
    }

    /// Timeouts, connection limits and the HTTP version.
    public struct Configuration: Sendable {
        /// The longest one attempt may take, from connect to the last response byte. A
        /// deadline bound to ``MeshKit/MeshDeadline/current`` shortens it.
        public var attemptTimeout: Duration
        /// The longest the connect (and TLS handshake) may take.
        public var connectTimeout: Duration
        /// The HTTP version to ask for.
        public var httpVersion: HTTPVersion
        /// The most connections open to one host (name or address, and port) at a time; 0 means
        /// no limit. Calls beyond it wait for a connection in libcurl's queue, oldest first, within
        /// their attempt timeout (or deadline), and a cancelled call stops waiting at once. With several
        /// ``threads``, each gets an equal share (at least one). 1024 by default, as Envoy's.
        public var maxConnectionsPerHost: Int
        /// The most calls that may wait for a connection to one host, beyond
        /// ``maxConnectionsPerHost``; a call past it fails at once, unsent, with
        /// ``HTTPTransportError/Code/poolOverflow`` (``MeshKit/MeshError/Code/tooManyRequests``,
        /// never retried). Over multiplexed HTTP/2, where one connection carries many calls, the
        /// two together bound the calls in flight to a host. 1024 by default, as Envoy's.
        public var maxPendingRequestsPerHost: Int
        /// The largest response body accepted, in bytes; 0 means no limit. A call whose response
        /// is larger fails with ``HTTPTransportError/Code/responseTooLarge``
        /// (``MeshKit/MeshError/Code/resourceExhausted``, never retried): the transfer is aborted
        /// as soon as the declared `Content-Length`, or the bytes received, exceed the limit, so
        /// no more than the limit is ever buffered. 16 MiB by default.
        public var maxResponseBodySize: Int
        /// The most idle connections kept open for reuse, per thread.
        public var maxCachedConnections: Int
        /// The threads driving transfers, each with its own libcurl multi handle and connection
        /// cache; calls are spread over them in turn. One saturated at 30,000–40,000 requests a
        /// second on a 2-core machine; more help where there are cores to run them.
        public var threads: Int
        /// A PEM file of the certificate authorities to trust for `https` endpoints instead of
        /// the system's, such as a mesh's own CA, and for a DestinationRule's `SIMPLE` or
        /// `MUTUAL` without `caCertificates`. Peers are always verified, name and chain.
        public var trustedCertificatesPath: String?
        /// Outbound mTLS with the mesh's workload certificates; `nil`, the default, calls
        /// `http` endpoints in plaintext. With it, ``trustedCertificatesPath`` is unused but by
        /// a DestinationRule's `SIMPLE` or `MUTUAL`: mesh peers are verified against the mesh's
        /// trust bundle only.
        public var mutualTLS: MutualTLS?
        /// The token sent in `dapr-api-token` on every call: the `DAPR_API_TOKEN` (or
        /// `APP_API_TOKEN`) the called server requires. `nil` sends none.
        public var apiToken: APIToken?

        /// Creates a configuration.
        public init(
            attemptTimeout: Duration = .seconds(30),
            connectTimeout: Duration = .seconds(5),
            httpVersion: HTTPVersion = .negotiated,
            maxConnectionsPerHost: Int = 1024,
            maxPendingRequestsPerHost: Int = 1024,
            maxResponseBodySize: Int = 16 * 1024 * 1024,
            maxCachedConnections: Int = 128,
            threads: Int = 1,
            trustedCertificatesPath: String? = nil,
            mutualTLS: MutualTLS? = nil,
            apiToken: APIToken? = nil
        ) {
            self.attemptTimeout = attemptTimeout
            self.connectTimeout = connectTimeout
            self.httpVersion = httpVersion
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxPendingRequestsPerHost = maxPendingRequestsPerHost
            self.maxResponseBodySize = maxResponseBodySize
            self.maxCachedConnections = maxCachedConnections
            self.threads = threads
            self.trustedCertificatesPath = trustedCertificatesPath
            self.mutualTLS = mutualTLS
            self.apiToken = apiToken
        }
    }
}
