public import MeshKit
public import MeshKitSecurity

extension MeshHTTPServer {
    /// How the server secures its connections: Istio's `PeerAuthentication` mode, the workload
    /// credentials it presents and trusts, and whether a client certificate is required.
    ///
    /// The mode is the one ``mode`` names; when it names none, the mesh's `PeerAuthentication`
    /// resources decide, port by port (``MeshKit/Mesh/peerAuthentication(port:)``), and with
    /// none it is Istio's default, PERMISSIVE. A server whose port must be STRICT but that has no
    /// TLS configuration does not start: it never serves plaintext there.
    ///
    /// - ``MeshKit/PeerAuthenticationMode/strict``: TLS only. A plaintext client, a client
    ///   without a certificate (under ``ClientCertificate/required``) and a client whose
    ///   certificate does not verify against the trust bundle (a foreign CA, expired, not valid
    ///   yet) fail the handshake; so does a verified certificate without a SPIFFE URI SAN.
    /// - ``MeshKit/PeerAuthenticationMode/permissive``: both on one port. A connection whose
    ///   first byte is 0x16 (a TLS handshake record, RFC 8446 §5.1) gets TLS as under STRICT;
    ///   any other gets plaintext HTTP.
    /// - ``MeshKit/PeerAuthenticationMode/disable``: plaintext only; the credentials are unused.
    ///
    /// Each request received over mTLS carries the caller's ``MeshKit/PeerIdentity`` in
    /// ``MeshKit/InvocationRequest/peerIdentity``. The credentials are read when a connection
    /// is accepted, so after a rotation (see ``MeshKitSecurity/WorkloadCredentialsSource``)
    /// new connections present the new certificate and trust the new bundle, while open ones
    /// keep the ones they started with.
    public struct TLS: Sendable {
        /// Whether a TLS client must present a certificate.
        public enum ClientCertificate: Sendable, Hashable {
            /// A client without a certificate fails the handshake: mTLS.
            case required
            /// A client may present none (its requests then have no peer identity); one it
            /// presents must verify.
            case optional
        }

        /// The workload's certificate, key and trust bundle.
        public var credentials: WorkloadCredentialsSource
        /// The PeerAuthentication mode; `nil`, the default, takes the mesh's `PeerAuthentication`
        /// resources' mode for the port.
        public var mode: PeerAuthenticationMode?
        /// Whether a TLS client must present a certificate.
        public var clientCertificate: ClientCertificate

        /// Creates a TLS configuration whose mode, by default, the mesh's `PeerAuthentication`
        /// resources decide.
        public init(
            credentials: WorkloadCredentialsSource,
            mode: PeerAuthenticationMode? = nil,
            clientCertificate: ClientCertificate = .required
        ) {
            self.credentials = credentials
            self.mode = mode
            self.clientCertificate = clientCertificate
        }
    }
}
