extension DestinationRuleResource {
    /// Istio's `Subset`: a named group of the host's endpoints, chosen by labels, with its own
    /// policy sections.
    public struct Subset: Sendable, Hashable {
        /// `name`, which route destinations refer to.
        public var name: String
        /// `labels`: the endpoint labels that select the subset.
        public var labels: [String: String]
        /// `trafficPolicy`: sections that replace the rule's for this subset.
        public var trafficPolicy: TrafficPolicy?

        /// Creates a subset.
        public init(name: String, labels: [String: String] = [:], trafficPolicy: TrafficPolicy? = nil) {
            self.name = name
            self.labels = labels
            self.trafficPolicy = trafficPolicy
        }

        init(node: ResourceNode) throws(MeshError) {
            var labels: [String: String] = [:]
            for (key, value) in try node.members("labels") { labels[key] = try value.string() }
            self.init(
                name: try node.requiredString("name"),
                labels: labels,
                trafficPolicy: try node.child("trafficPolicy").map { node throws(MeshError) in try TrafficPolicy(node: node) }
            )
        }
    }
}
