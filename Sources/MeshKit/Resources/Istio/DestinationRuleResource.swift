/// An Istio `DestinationRule` (`networking.istio.io` `v1`, `v1beta1` or `v1alpha3`), read
/// unchanged: the traffic policy of calls to one host (a Dapr app ID) and its named subsets.
///
/// Istio resources have no Dapr `scopes`: a destination rule applies to the calls every app
/// makes to its host. `trafficPolicy.portLevelSettings` is refused with a clear error.
public struct DestinationRuleResource: Sendable {
    /// Name, namespace and source file.
    public var header: ResourceHeader
    /// `spec.host`: the app ID.
    public var host: String
    /// `spec.trafficPolicy`.
    public var trafficPolicy: TrafficPolicy?
    /// `spec.subsets`.
    public var subsets: [Subset]
    /// Lines of the fields later checks name.
    var lines = FieldLines()

    /// Creates a destination rule in code.
    public init(name: String, host: String, trafficPolicy: TrafficPolicy? = nil, subsets: [Subset] = []) {
        self.header = ResourceHeader(name: name)
        self.host = host
        self.trafficPolicy = trafficPolicy
        self.subsets = subsets
    }

    /// The subset named `name`, if the rule defines it.
    public func subset(named name: String) -> Subset? {
        subsets.first { $0.name == name }
    }

    /// The policy of calls to the subset `name` (or to the host, for `nil`): the rule's policy
    /// with each section the subset sets replacing it, as Istio merges them. An unknown subset
    /// gets the rule's policy.
    public func policy(forSubset name: String?) -> TrafficPolicy {
        let base = trafficPolicy ?? TrafficPolicy()
        guard let name, let subset = subset(named: name) else { return base }
        return base.overridden(by: subset.trafficPolicy)
    }

    init(document: ResourceNode) throws(MeshError) {
        try IstioAPIVersion.check(document, kind: "DestinationRule", accepted: IstioAPIVersion.networking)
        self.header = try ResourceHeader(document: document)
        let spec = try document.required("spec")
        self.host = try spec.requiredString("host")
        var lines = FieldLines()
        let policyNode = try spec.child("trafficPolicy")
        try Self.recordLines(of: policyNode, in: &lines)
        self.trafficPolicy = try policyNode.map { node throws(MeshError) in try TrafficPolicy(node: node) }
        var subsets: [Subset] = []
        for item in try spec.items("subsets") {
            lines.record(item)
            lines.record(try item.child("name"))
            let subsetPolicy = try item.child("trafficPolicy")
            try Self.recordLines(of: subsetPolicy, in: &lines)
            subsets.append(try Subset(node: item))
        }
        self.subsets = subsets
        self.lines = lines
        try validate()
    }

    /// Records the lines of the policy fields ``validate()`` checks.
    private static func recordLines(of policy: ResourceNode?, in lines: inout FieldLines) throws(MeshError) {
        guard let policy else { return }
        lines.record(policy)
        let outlier = try policy.child("outlierDetection")
        lines.record(outlier)
        lines.record(try outlier?.child("maxEjectionPercent"))
        lines.record(try outlier?.child("minHealthPercent"))
    }
}
