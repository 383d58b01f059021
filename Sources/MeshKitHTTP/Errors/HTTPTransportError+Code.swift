extension HTTPTransportError {
    /// The kind of an ``HTTPTransportError``: an open set, so new kinds can be added without
    /// breaking users.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case dnsFailure, connectionRefused, connectFailed, connectTimeout
            case timeout, connectionReset, tlsFailure, httpStatus
            case noEndpoints, invalidRequest, cancelled, transportFailed
            case poolOverflow, localResourcesExhausted, responseTooLarge, peerIdentityMismatch, tlsFileUnusable
        }

        private let base: Base
        /// A stable name for logs, such as `connection_refused`.
        public let name: String

        private init(_ base: Base, _ name: String) {
            self.base = base
            self.name = name
        }

        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.base == rhs.base }
        public func hash(into hasher: inout Hasher) { hasher.combine(base) }
        public var description: String { name }

        /// The peer's host name did not resolve. The request was never sent.
        public static let dnsFailure = Code(.dnsFailure, "dns_failure")
        /// The peer refused the connection (`ECONNREFUSED`): nothing listens on the port. The
        /// request was never sent.
        public static let connectionRefused = Code(.connectionRefused, "connection_refused")
        /// The connection could not be made for another reason (no route, network down). The
        /// request was never sent.
        public static let connectFailed = Code(.connectFailed, "connect_failed")
        /// The connection was not made within the connect timeout. The request was never sent.
        public static let connectTimeout = Code(.connectTimeout, "connect_timeout")
        /// The attempt did not finish within its timeout (or the request's deadline). The peer
        /// may have run the request.
        public static let timeout = Code(.timeout, "timeout")
        /// The connection was reset or closed before the whole response arrived. The peer may
        /// have run the request.
        public static let connectionReset = Code(.connectionReset, "connection_reset")
        /// The TLS handshake or certificate verification failed.
        public static let tlsFailure = Code(.tlsFailure, "tls_failure")
        /// The peer answered with a status the caller treats as a failure. The transport itself
        /// returns every status unchanged; a policy that turns a status into an error uses this
        /// code (see ``HTTPTransportError/status(_:url:)``).
        public static let httpStatus = Code(.httpStatus, "http_status")
        /// The name resolver knows no endpoint for the app ID. No request was sent.
        public static let noEndpoints = Code(.noEndpoints, "no_endpoints")
        /// The request could not be expressed as an HTTP request (a malformed URL or method).
        public static let invalidRequest = Code(.invalidRequest, "invalid_request")
        /// The calling task was cancelled; the transfer was aborted.
        public static let cancelled = Code(.cancelled, "cancelled")
        /// Too many calls already wait for a connection to the host
        /// (``HTTPInvocationTransport/Configuration/maxPendingRequestsPerHost``): the call failed at
        /// once without being sent. Retrying at once would only add to the queue, so it is not
        /// reported as safe to retry.
        public static let poolOverflow = Code(.poolOverflow, "pool_overflow")
        /// This process or machine ran out of something the connection needs: file descriptors
        /// (`EMFILE`, `ENFILE`) or memory for socket buffers. The peer was not tried, but
        /// trying again at once cannot help, so it is not reported as safe to retry.
        public static let localResourcesExhausted = Code(.localResourcesExhausted, "local_resources_exhausted")
        /// The response body exceeded
        /// ``HTTPInvocationTransport/Configuration/maxResponseBodySize``; the transfer was
        /// aborted. The peer ran the request.
        public static let responseTooLarge = Code(.responseTooLarge, "response_too_large")
        /// The TLS peer's certificate verified, but its SPIFFE ID is not the one expected of
        /// the app (see ``HTTPInvocationTransport/MutualTLS``), or, under a DestinationRule's
        /// `tls.subjectAltNames`, it carries none of those names. The request was never sent.
        public static let peerIdentityMismatch = Code(.peerIdentityMismatch, "peer_identity_mismatch")
        /// A certificate, key or CA file that a DestinationRule's `tls` names (`caCertificates`,
        /// `clientCertificate`, `privateKey`) could not be read or holds no usable PEM; the
        /// message names the file. The request was never sent, neither over TLS nor in
        /// plaintext. Mapped to ``MeshKit/MeshError/Code/invalidConfiguration``, never retried.
        public static let tlsFileUnusable = Code(.tlsFileUnusable, "tls_file_unusable")
        /// Any other transport failure.
        public static let transportFailed = Code(.transportFailed, "transport_failed")

        var isSafeToRetry: Bool {
            switch base {
            case .dnsFailure, .connectionRefused, .connectFailed, .connectTimeout, .noEndpoints: true
            default: false
            }
        }
    }

    /// An ``Code/httpStatus`` error for a status code, for policies that treat statuses such as
    /// 503 as failures.
    public static func status(_ status: Int, url: String? = nil) -> HTTPTransportError {
        HTTPTransportError(.httpStatus, "the peer answered HTTP \(status)", url: url)
    }
}
