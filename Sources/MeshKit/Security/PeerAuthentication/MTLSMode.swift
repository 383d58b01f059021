/// Whether a workload's port accepts plaintext, mutual TLS, or both: the effective mode of
/// Istio's `PeerAuthentication` once precedence and inheritance are applied.
public enum MTLSMode: String, Sendable, Hashable {
    /// Mutual TLS only: plaintext and certificates of a foreign CA are refused.
    case strict
    /// Mutual TLS and plaintext; Istio's default.
    case permissive
    /// Plaintext only.
    case disable
}
