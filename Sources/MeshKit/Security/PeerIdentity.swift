/// Who called, as the TLS handshake proved it: the SPIFFE ID in the client certificate that
/// verified against the mesh's trust bundle. `MeshHTTPServer` attaches it to each
/// ``InvocationRequest`` it receives over mTLS (``InvocationRequest/peerIdentity``); plaintext
/// requests and TLS requests without a client certificate have none.
///
/// Authorization matches ``principal`` (Istio's `source.principal`) and ``namespace``
/// (`source.namespace`).
public struct PeerIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The caller's SPIFFE ID.
    public let spiffeID: SPIFFEID

    /// Creates the identity of a caller whose certificate carries `spiffeID`.
    public init(spiffeID: SPIFFEID) {
        self.spiffeID = spiffeID
    }

    /// The principal, `<trust domain>/ns/<namespace>/sa/<service account>`; see
    /// ``SPIFFEID/principal``.
    public var principal: String { spiffeID.principal }
    /// The caller's namespace.
    public var namespace: String { spiffeID.namespace }
    /// The caller's trust domain.
    public var trustDomain: String { spiffeID.trustDomain }

    public var description: String { spiffeID.uri }
}
