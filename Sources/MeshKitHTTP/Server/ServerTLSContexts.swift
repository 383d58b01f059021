import MeshKit
import MeshKitSecurity
import NIOSSL
import Synchronization

/// The server's `NIOSSLContext` for the credentials in force: rebuilt when their generation
/// changes, so each accepted connection gets the context of the credentials current then.
final class ServerTLSContexts: Sendable {
    let tls: MeshHTTPServer.TLS
    private let cached = Mutex<(generation: Int, context: NIOSSLContext)?>(nil)

    init(tls: MeshHTTPServer.TLS) {
        self.tls = tls
    }

    /// The context for the credentials in force now.
    func current() throws -> NIOSSLContext {
        let snapshot = tls.credentials.snapshot
        if let cached = cached.withLock({ $0 }), cached.generation == snapshot.generation { return cached.context }
        let context = try Self.makeContext(snapshot.credentials, clientCertificate: tls.clientCertificate)
        cached.withLock { $0 = (snapshot.generation, context) }
        return context
    }

    /// A server context that presents `credentials` and verifies clients against their trust
    /// bundle. `.noHostnameVerification` verifies the chain without a name check, which a
    /// server cannot make; `.optionalVerification` verifies a certificate only when one is
    /// presented (swift-nio-ssl's `CertificateVerification`).
    static func makeContext(
        _ credentials: WorkloadCredentials,
        clientCertificate: MeshHTTPServer.TLS.ClientCertificate
    ) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(credentials.certificatePEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(credentials.privateKeyPEM.utf8), format: .pem)
        let roots = try NIOSSLCertificate.fromPEMBytes(Array(credentials.trustBundlePEM.utf8))
        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key),
            trustRoots: .certificates(roots)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        if clientCertificate == .optional { configuration.certificateVerification = .optionalVerification }
        return try NIOSSLContext(configuration: configuration)
    }
}
