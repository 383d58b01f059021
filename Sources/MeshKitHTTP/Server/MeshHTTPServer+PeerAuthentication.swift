import MeshKit

extension MeshHTTPServer {
    /// The mode of a port: the one ``TLS/mode`` names, or the mesh's `PeerAuthentication`'s.
    var modeOfPort: @Sendable (_ port: Int?) -> PeerAuthenticationMode {
        if let mode = configuration.tls?.mode { return { _ in mode } }
        return { [mesh] port in mesh.peerAuthentication(port: port).mode }
    }

    /// The error that keeps the server from serving `port` in plaintext when its mode there is
    /// STRICT and the server has no TLS configuration; `nil` when it may serve.
    func plaintextRefusal(port: Int) -> MeshError? {
        guard configuration.tls == nil else { return nil }
        let effective = mesh.peerAuthentication(port: port)
        guard effective.mode == .strict else { return nil }
        return MeshError(
            .invalidConfiguration,
            "PeerAuthentication '\(effective.policy ?? "?")' makes port \(port) of '\(mesh.appID)' STRICT mTLS, "
                + "but the MeshKit HTTP server has no TLS configuration (MeshHTTPServer.Configuration.tls), and STRICT never serves plaintext",
            context: .init(subject: mesh.appID)
        )
    }
}
