/// How calls to a host are secured: Istio's `ClientTLSSettings`. Parsed in full; until MeshKit
/// has mesh certificates, a call under ``Mode/istioMutual``, ``Mode/mutual`` or ``Mode/simple``
/// fails with a clear error rather than going out in plaintext.
public struct ClientTLSPolicy: Sendable, Hashable {
    /// Istio's `tls.mode`.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Plaintext.
        case disable = "DISABLE"
        /// TLS, verifying the server.
        case simple = "SIMPLE"
        /// mTLS with the certificates the rule names.
        case mutual = "MUTUAL"
        /// mTLS with the mesh's own workload certificates.
        case istioMutual = "ISTIO_MUTUAL"
    }

    /// The mode.
    public var mode: Mode
    /// `clientCertificate`: the client certificate file, for ``Mode/mutual``.
    public var clientCertificate: String?
    /// `privateKey`: the client key file, for ``Mode/mutual``.
    public var privateKey: String?
    /// `caCertificates`: the trust bundle file that verifies the server.
    public var caCertificates: String?
    /// `sni`: the server name to present.
    public var sni: String?
    /// `subjectAltNames`: the identities the server's certificate may carry.
    public var subjectAltNames: [String]

    /// Creates a policy.
    public init(
        mode: Mode,
        clientCertificate: String? = nil,
        privateKey: String? = nil,
        caCertificates: String? = nil,
        sni: String? = nil,
        subjectAltNames: [String] = []
    ) {
        self.mode = mode
        self.clientCertificate = clientCertificate
        self.privateKey = privateKey
        self.caCertificates = caCertificates
        self.sni = sni
        self.subjectAltNames = subjectAltNames
    }
}
