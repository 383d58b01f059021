import MeshKit
import NIOConcurrencyHelpers

/// What the server knows of the other end of one connection: its address and, once a TLS
/// handshake verified its certificate, its identity. Written on the connection's event loop,
/// read by the task that serves it.
final class ConnectionPeer: Sendable {
    /// The peer's IP address.
    let address: String?
    private let verifiedIdentity = NIOLockedValueBox<PeerIdentity?>(nil)

    init(address: String?) {
        self.address = address
    }

    /// The identity the handshake proved, if any.
    var identity: PeerIdentity? {
        get { verifiedIdentity.withLockedValue { $0 } }
        set { verifiedIdentity.withLockedValue { $0 = newValue } }
    }
}
