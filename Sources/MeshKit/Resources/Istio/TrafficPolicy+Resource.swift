extension TrafficPolicy {
    /// The `trafficPolicy` fields MeshKit refuses rather than ignores.
    static let unsupportedFields = ["portLevelSettings", "tunnel", "proxyProtocol"]

    /// Reads Istio's `TrafficPolicy`. `portLevelSettings` is refused: MeshKit calls an app on
    /// one port, so the settings belong in `trafficPolicy` itself.
    init(node: ResourceNode) throws(MeshError) {
        for field in Self.unsupportedFields {
            if let present = try node.child(field) {
                let hint =
                    field == "portLevelSettings"
                    ? "; MeshKit calls an app on one port, so put the settings in the trafficPolicy itself" : ""
                throw present.error(.malformedResource, "'\(present.path)': MeshKit does not support '\(field)'\(hint)")
            }
        }
        self.init(
            loadBalancer: try node.child("loadBalancer").flatMap { node throws(MeshError) in try LoadBalancerPolicy(node: node) },
            connectionPool: try node.child("connectionPool").map { node throws(MeshError) in try ConnectionPoolPolicy(node: node) },
            outlierDetection: try node.child("outlierDetection").map { node throws(MeshError) in try OutlierDetectionPolicy(node: node) },
            tls: try node.child("tls").map { node throws(MeshError) in try ClientTLSPolicy(node: node) }
        )
    }
}
