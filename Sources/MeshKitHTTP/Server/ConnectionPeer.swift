import MeshKit
import NIOConcurrencyHelpers

/// What the server knows of the other end of one connection: its address and, once a TLS
/// handshake verified its certificate, its identity. Written on the connection's event loop,
/// read by the task that serves it.
final class ConnectionPeer: Sendable {
    /// The peer's IP address.
    let address: String?
    /// The port the connection arrived on.
    let localPort: Int?
    private let verifiedIdentity = NIOLockedValueBox<PeerIdentity?>(nil)

    init(address: String?, localPort: Int?) {
        self.address = address
        self.localPort = localPort
    }

    /// The identity the handshake proved, if any.
    var identity: PeerIdentity? {
        get { verifiedIdentity.withLockedValue { $0 } }
        set { verifiedIdentity.withLockedValue { $0 = newValue } }
    }
}

extension ConnectionPeer {
    /// What authorization knows of the peer now.
    var caller: InboundCaller { InboundCaller(address: address, localPort: localPort, identity: identity) }
}
