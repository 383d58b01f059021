public import MeshKit

/// Who sent an inbound request, as far as the server that accepted it knows: the address it came
/// from, the port it arrived on, and the identity its mTLS certificate proved.
///
/// Authorization matches these (Istio's `source.ip`, `destination.port`, `source.principal` and
/// `source.namespace`; Dapr's `accessControl` on the app ID of the identity). Only a verified
/// certificate may give an ``identity``, never a header the caller wrote: without one, the
/// caller is unauthenticated and rules that require a principal or a namespace deny it.
public struct InboundCaller: Sendable, Hashable {
    /// The caller's IP address, IPv4 or IPv6; `nil` when the server does not know it.
    public var address: String?
    /// The port of this server the request arrived on; `nil` when the server does not know it.
    public var localPort: Int?
    /// The identity the caller's certificate proved, verified against the mesh's trust bundle;
    /// `nil` for a plaintext caller or one without a client certificate.
    public var identity: PeerIdentity?

    /// A caller from `address`, on `localPort`, with the verified `identity`.
    public init(address: String? = nil, localPort: Int? = nil, identity: PeerIdentity? = nil) {
        self.address = address
        self.localPort = localPort
        self.identity = identity
    }

    /// A plaintext caller of which nothing is known.
    public static let unknown = InboundCaller()
}
