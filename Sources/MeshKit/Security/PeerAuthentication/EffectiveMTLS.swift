/// The mTLS mode in force on one port of a workload once Istio's `PeerAuthentication`
/// precedence and inheritance are applied, and the policy that set it.
public struct EffectiveMTLS: Sendable, Hashable {
    /// The mode.
    public var mode: PeerAuthenticationMode
    /// `namespace/name` of the policy whose `mtls` or `portLevelMtls` set the mode; `nil`
    /// when none did and the mode is Istio's default, PERMISSIVE.
    public var policy: String?

    /// Creates an effective mode.
    public init(mode: PeerAuthenticationMode, policy: String? = nil) {
        self.mode = mode
        self.policy = policy
    }
}
