/// How one transfer's TLS is set up and its peer checked.
enum TransferTLS: Sendable {
    /// The mesh's own mTLS (`ISTIO_MUTUAL`, or the transport's ``HTTPInvocationTransport/MutualTLS``
    /// without a DestinationRule): workload credentials, and a SPIFFE ID the peer must prove.
    case mesh(CurlTLS)
    /// A DestinationRule's `SIMPLE` or `MUTUAL`: files of the rule's own, and the server's host
    /// name or `subjectAltNames`.
    case originated(OriginatedTLS)

    /// The host name the URL carries in place of the endpoint's (an originated transfer's `sni`,
    /// connected to the endpoint's address); `nil` to keep the endpoint's.
    var serverName: String? {
        guard case .originated(let originated) = self else { return nil }
        return originated.serverName
    }

    /// The kind of easy handle the transfer runs on.
    var handleKind: CurlTransfer.HandleKind {
        switch self {
        case .mesh: .standard
        case .originated: .originated
        }
    }
}
