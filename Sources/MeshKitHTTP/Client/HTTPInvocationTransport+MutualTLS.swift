public import MeshKit
public import MeshKitSecurity

extension HTTPInvocationTransport {
    /// Outbound mTLS: the workload certificate and key the transport presents, the trust
    /// bundle that verifies peers, and the identity each peer must prove.
    ///
    /// Every call then goes over TLS (an `http` endpoint is called as `https` unless
    /// ``upgradesPlaintextEndpoints`` is off), presenting the current certificate of
    /// ``credentials`` and verifying the peer's chain against its trust bundle only (not the
    /// system's). The host name is not checked; the peer's SPIFFE ID is, as Istio and Dapr do,
    /// after the handshake and before any byte of the request is sent, on new, resumed and
    /// reused connections alike. The identity a peer must prove is, first found:
    /// 1. its endpoint's `spiffe.io/id` label (``MeshKit/Endpoint/spiffeIDLabel``);
    /// 2. ``expectedIdentities`` for the app ID;
    /// 3. Dapr's rule: the trust domain of this workload's own certificate, the namespace
    ///    (``namespace``, else this workload's own), and the app ID as the service account or
    ///    the Dapr app ID.
    ///
    /// A peer that proves another identity fails the call with
    /// ``HTTPTransportError/Code/peerIdentityMismatch`` (``MeshKit/MeshError/Code/unavailable``),
    /// unsent. Connections and TLS sessions are reused: libcurl keeps connections per thread
    /// and shares TLS sessions between the transfers of a thread (``sessionResumption``).
    public struct MutualTLS: Sendable {
        /// The workload's certificate, key and trust bundle; rotations apply to new connections.
        public var credentials: WorkloadCredentialsSource
        /// The identity expected of each app, by app ID, where no endpoint label names one.
        public var expectedIdentities: [String: SPIFFEID]
        /// The namespace of the apps called, for Dapr's rule; `nil` uses this workload's own.
        public var namespace: String?
        /// Whether TLS sessions are resumed on new connections (libcurl's session ID cache,
        /// shared by the transfers of each thread). On by default.
        public var sessionResumption: Bool
        /// Whether `http` endpoints are called over TLS too. On by default, as Istio's
        /// auto-mTLS.
        public var upgradesPlaintextEndpoints: Bool

        /// Creates an mTLS configuration.
        public init(
            credentials: WorkloadCredentialsSource,
            expectedIdentities: [String: SPIFFEID] = [:],
            namespace: String? = nil,
            sessionResumption: Bool = true,
            upgradesPlaintextEndpoints: Bool = true
        ) {
            self.credentials = credentials
            self.expectedIdentities = expectedIdentities
            self.namespace = namespace
            self.sessionResumption = sessionResumption
            self.upgradesPlaintextEndpoints = upgradesPlaintextEndpoints
        }
    }
}
