/// How calls to a host are secured: Istio's `ClientTLSSettings`, applied by the remote
/// transport (MeshKitHTTP's `HTTPInvocationTransport`) to each attempt; the in-process transport
/// has no connection to secure. A call that cannot be secured as the policy says fails with a
/// clear error; it never goes out in plaintext instead.
public struct ClientTLSPolicy: Sendable, Hashable {
    /// Istio's `tls.mode`.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Plaintext.
        case disable = "DISABLE"
        /// TLS originated by the caller, verifying the server's chain against
        /// ``ClientTLSPolicy/caCertificates`` (the system's authorities without it) and its name:
        /// the host name (``ClientTLSPolicy/sni`` when set, else the endpoint's host), or, when
        /// ``ClientTLSPolicy/subjectAltNames`` lists some, one of those.
        case simple = "SIMPLE"
        /// ``simple``, presenting the certificate and key in ``ClientTLSPolicy/clientCertificate``
        /// and ``ClientTLSPolicy/privateKey``, which are then required.
        case mutual = "MUTUAL"
        /// mTLS with the mesh's own workload certificates, the peer proving its SPIFFE ID.
        case istioMutual = "ISTIO_MUTUAL"
    }

    /// The mode.
    public var mode: Mode
    /// `clientCertificate`: the PEM file of the client certificate (and its chain) presented
    /// under ``Mode/mutual``, which requires it; unused by the other modes.
    public var clientCertificate: String?
    /// `privateKey`: the PEM file of ``clientCertificate``'s unencrypted key, under
    /// ``Mode/mutual``, which requires it; unused by the other modes.
    public var privateKey: String?
    /// `caCertificates`: the PEM bundle file that verifies the server's chain under
    /// ``Mode/simple`` and ``Mode/mutual``, in place of the system's authorities.
    public var caCertificates: String?
    /// `sni`: under ``Mode/simple`` and ``Mode/mutual``, the server name sent in the TLS SNI
    /// extension and verified, in place of the endpoint's host, whose address is still the one
    /// connected to.
    public var sni: String?
    /// `subjectAltNames`: under ``Mode/simple`` and ``Mode/mutual``, when not empty, the names
    /// of which the server's certificate must carry one (a DNS, URI or IP SAN), checked in place
    /// of the host name before the request is sent.
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
