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
    /// The namespace whose selector-less policy is mesh-wide.
    public let rootNamespace: String

    /// Collects the policies of `resources`.
    public init(resources: ResourceSet, rootNamespace: String = "istio-system") {
        self.policies = resources.peerAuthentications
        self.rootNamespace = rootNamespace
    }

    /// The mode of `port` (any port when `nil`) of the workload with `appLabels` in `namespace`
    /// (`default` when `nil`).
    public func effectiveMode(appLabels: [String: String], namespace: String?, port: Int?) -> MTLSMode {
        let namespace = namespace ?? AuthorizationWorkload.defaultNamespace
        func inNamespace(_ policy: PeerAuthenticationResource, _ name: String) -> Bool {
            (policy.header.namespace ?? AuthorizationWorkload.defaultNamespace) == name
        }
        let workload = policies.first { policy in
            guard let selector = policy.selector, !selector.isEmpty, inNamespace(policy, namespace) else { return false }
            return selector.allSatisfy { appLabels[$0.key] == $0.value }
        }
        let namespaceWide = policies.first { ($0.selector ?? [:]).isEmpty && inNamespace($0, namespace) }
        let meshWide = policies.first { ($0.selector ?? [:]).isEmpty && inNamespace($0, rootNamespace) }
        let chain: [PeerAuthenticationResource.Mode?] = [
            port.flatMap { workload?.portLevelModes[$0] },
            workload?.mode,
            namespaceWide?.mode,
            meshWide?.mode,
        ]
        for case let mode? in chain {
            switch mode {
            case .strict: return .strict
            case .permissive: return .permissive
            case .disable: return .disable
            case .unset: continue
            }
        }
        return .permissive
    }
}
