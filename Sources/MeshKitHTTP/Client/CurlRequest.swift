import Foundation

/// Everything one transfer needs, as Swift values; the engine thread turns it into an easy
/// handle's options.
struct CurlRequest: Sendable {
    var url: String
    var method: String
    /// Header lines, `name: value`.
    var headerLines: [String]
    var body: Data
    /// Whether a body is sent (POST, PUT and PATCH always send one, possibly empty).
    var sendsBody: Bool
    var timeout: Duration
    var connectTimeout: Duration
    var httpVersion: HTTPInvocationTransport.HTTPVersion
    /// Whether the connection may carry other requests after this one.
    var reusesConnections: Bool = true
    /// How long a connection may have been idle and still be reused; `nil` for libcurl's default.
    var maxIdleTime: Duration?
    /// The largest response body accepted, in bytes; 0 for no limit.
    var maxResponseBodySize: Int
    /// TLS: what to present and trust, and what the peer must prove; `nil` for plaintext, or
    /// `https` with the engine's default trust.
    var tls: TransferTLS? = nil

    /// The kind of easy handle the transfer runs on.
    var handleKind: CurlTransfer.HandleKind { tls?.handleKind ?? .standard }
}

/// What a finished transfer produced.
struct CurlResponse: Sendable {
    var status: Int
    /// The final response's header block as received, status line included; see ``headerFields``.
    var rawHeaders: [UInt8]
    var body: Data
}
