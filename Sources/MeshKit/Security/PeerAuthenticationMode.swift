/// What an inbound server accepts, as Istio's `PeerAuthentication` `mtls.mode` says.
///
/// `UNSET` is not a mode of its own: it inherits from the enclosing scope, so whoever resolves
/// the resources maps it to one of these (Istio's default, when nothing sets one, is
/// ``permissive``).
public enum PeerAuthenticationMode: String, Sendable, Hashable, CaseIterable {
    /// mTLS only: plaintext connections and client certificates that do not verify against the
    /// trust bundle are refused at the handshake.
    case strict = "STRICT"
    /// Both plaintext and mTLS on the same port; a TLS client is told apart by its first byte.
    case permissive = "PERMISSIVE"
    /// Plaintext only.
    case disable = "DISABLE"
}
