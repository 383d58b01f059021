import Logging
import MeshKit
import NIOCore
import NIOSSL

/// Puts the TLS handlers that the PeerAuthentication mode of the connection's port asks for at
/// the front of each accepted connection's pipeline.
struct ConnectionSecurity: Sendable {
    private let contexts: ServerTLSContexts?
    private let mode: @Sendable (_ port: Int?) -> PeerAuthenticationMode
    private let logger: Logger

    /// - Parameter mode: the mode of a port: the configuration's, or the mesh's
    ///   `PeerAuthentication` for it.
    init(tls: MeshHTTPServer.TLS?, mode: @escaping @Sendable (_ port: Int?) -> PeerAuthenticationMode, logger: Logger) {
        self.contexts = tls.flatMap { $0.mode == .disable ? nil : ServerTLSContexts(tls: $0) }
        self.mode = mode
        self.logger = logger
    }

    /// Adds the handlers to `channel`, on its event loop, before the HTTP handlers.
    func configure(_ channel: any Channel, peer: ConnectionPeer) throws {
        guard let contexts else { return }
        let requiresCertificate = contexts.tls.clientCertificate == .required
        let logger = self.logger
        let makeHandlers: () throws -> [any ChannelHandler] = {
            [
                NIOSSLServerHandler(context: try contexts.current()),
                PeerCertificateHandler(peer: peer, requiresCertificate: requiresCertificate, logger: logger),
                TLSWriteCoalescer(),
            ]
        }
        switch mode(peer.localPort) {
        case .strict:
            try channel.pipeline.syncOperations.addHandlers(try makeHandlers())
        case .permissive:
            try channel.pipeline.syncOperations.addHandler(TLSSniffer(makeTLSHandlers: makeHandlers))
        case .disable:
            return
        }
    }
}
