extension Mesh {
    /// The mTLS mode in force on the app's inbound `port` (any port when `nil`), from the Istio
    /// `PeerAuthentication` resources that select it by namespace and labels (the same workload
    /// as ``authorizer``'s), with Istio's precedence; PERMISSIVE when none sets one.
    ///
    /// Inbound servers take their mode from here unless their configuration names one.
    public func peerAuthentication(port: Int?) -> EffectiveMTLS {
        peerAuthenticationPolicies.effectiveMode(for: authorizer.workload, port: port)
    }
}
