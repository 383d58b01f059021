/// Istio's `PeerAuthentication` precedence, for the workloads of a mesh: the most specific
/// policy wins (a workload policy, whose selector matches the workload's labels, over the
/// namespace-wide policy of its namespace, over the mesh-wide policy of the root namespace),
/// a port's `portLevelMtls` wins over its policy's `mtls`, and `UNSET` inherits from the
/// next level up; with nothing set, the mode is PERMISSIVE.
///
/// Where Istio finds several policies at one level it takes the oldest; MeshKit, which has no
/// creation times, takes the first loaded (files in name order).
public struct PeerAuthenticationPolicies: Sendable {
    private let policies: [PeerAuthenticationResource]

    /// Collects the policies of `resources`.
    public init(resources: ResourceSet) {
        self.policies = resources.peerAuthentications
    }

    /// The mode of `port` (any port when `nil`) of `workload`, selected by its namespace and
    /// labels; the workload's root namespace holds the mesh-wide policy.
    public func effectiveMode(for workload: AuthorizationWorkload, port: Int?) -> EffectiveMTLS {
        func inNamespace(_ policy: PeerAuthenticationResource, _ name: String) -> Bool {
            (policy.header.namespace ?? AuthorizationWorkload.defaultNamespace) == name
        }
        let selected = policies.first { policy in
            guard let selector = policy.selector, !selector.isEmpty, inNamespace(policy, workload.namespace) else { return false }
            return selector.allSatisfy { workload.labels[$0.key] == $0.value }
        }
        let namespaceWide = policies.first { ($0.selector ?? [:]).isEmpty && inNamespace($0, workload.namespace) }
        let meshWide = policies.first { ($0.selector ?? [:]).isEmpty && inNamespace($0, workload.rootNamespace) }
        let chain: [(PeerAuthenticationResource.Mode?, PeerAuthenticationResource?)] = [
            (port.flatMap { selected?.portLevelModes[$0] }, selected),
            (selected?.mode, selected),
            (namespaceWide?.mode, namespaceWide),
            (meshWide?.mode, meshWide),
        ]
        for case let (mode?, policy?) in chain {
            let name = "\(policy.header.namespace ?? AuthorizationWorkload.defaultNamespace)/\(policy.header.name)"
            switch mode {
            case .strict: return EffectiveMTLS(mode: .strict, policy: name)
            case .permissive: return EffectiveMTLS(mode: .permissive, policy: name)
            case .disable: return EffectiveMTLS(mode: .disable, policy: name)
            case .unset: continue
            }
        }
        return EffectiveMTLS(mode: .permissive)
    }
}
