import Logging
import MeshKit
import MeshKitSecurity
import NIOCore
import NIOSSL
import NIOTLS
import X509

/// Sits right after the TLS handler: when the handshake completes, reads the SPIFFE ID of the
/// client certificate the TLS handler verified and records it in the connection's
/// ``ConnectionPeer``. A verified certificate without exactly one SPIFFE URI SAN closes the
/// connection before any request is read (and so does a missing certificate when one is
/// required, though the TLS handler refuses that first). An accepted connection's handler
/// leaves the pipeline.
final class PeerCertificateHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let peer: ConnectionPeer
    private let requiresCertificate: Bool
    private let logger: Logger
    private var refused = false

    init(peer: ConnectionPeer, requiresCertificate: Bool, logger: Logger) {
        self.peer = peer
        self.requiresCertificate = requiresCertificate
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
            do {
                if let certificate {
                    let parsed = try Certificate(derEncoded: try certificate.toDERBytes())
                    peer.identity = PeerIdentity(spiffeID: try WorkloadCredentials.spiffeID(of: parsed, file: "the client certificate"))
                } else if requiresCertificate {
                    throw MeshError(.invalidConfiguration, "the client presented no certificate")
                }
            } catch {
                refused = true
                logger.debug("refused a TLS client", metadata: ["reason": "\(error)", "peer": "\(peer.address ?? "?")"])
                context.close(promise: nil)
                return
            }
            // Accepted: nothing is left to check on this connection, so its reads no longer
            // pass through here.
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        context.fireChannelRead(data)
    }
}
