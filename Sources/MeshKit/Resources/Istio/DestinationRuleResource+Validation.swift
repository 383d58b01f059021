extension DestinationRuleResource {
    /// Istio's checks of one destination rule's values: subset names unique, and
    /// `maxEjectionPercent` and `minHealthPercent` from 0 to 100.
    func validate() throws(MeshError) {
        try Self.validate(trafficPolicy, at: "spec.trafficPolicy", header: header, lines: lines)
        var seen: Set<String> = []
        for (index, subset) in subsets.enumerated() {
            guard seen.insert(subset.name).inserted else {
                throw header.error(
                    "the subset name '\(subset.name)' is used twice; subset names must be unique within a rule",
                    field: "spec.subsets[\(index)].name",
                    lines: lines
                )
            }
            try Self.validate(subset.trafficPolicy, at: "spec.subsets[\(index)].trafficPolicy", header: header, lines: lines)
        }
    }

    private static func validate(_ policy: TrafficPolicy?, at path: String, header: ResourceHeader, lines: FieldLines) throws(MeshError) {
        guard let outlier = policy?.outlierDetection else { return }
        for (name, value) in [("maxEjectionPercent", outlier.maxEjectionPercent), ("minHealthPercent", outlier.minHealthPercent)]
        where !(0...100).contains(value) {
            throw header.error(
                "\(name) must be a percentage from 0 to 100, not \(value)",
                field: "\(path).outlierDetection.\(name)",
                lines: lines
            )
        }
    }
}
