extension OutlierDetectionPolicy {
    /// Reads Istio's `OutlierDetection`, with Istio's (Envoy's) defaults for absent fields.
    ///
    /// The deprecated `consecutiveErrors` is read as Istio translates it: it counts gateway
    /// errors (502, 503, 504) and turns the 5xx check off; an explicit `consecutive5xxErrors` or
    /// `consecutiveGatewayErrors` still wins. A `consecutiveGatewayErrors` of 0 turns that check off.
    init(node: ResourceNode) throws(MeshError) {
        func count(_ key: String) throws(MeshError) -> Int? {
            guard let value = try node.int(key) else { return nil }
            guard value >= 0 else {
                throw try node.required(key).error(.malformedResource, "'\(node.path).\(key)' must not be negative")
            }
            return value
        }
        self.init()
        if let deprecated = try count("consecutiveErrors"), deprecated > 0 {
            consecutive5xxErrors = nil
            consecutiveGatewayErrors = deprecated
        }
        if let value = try count("consecutive5xxErrors") { consecutive5xxErrors = value }
        if let value = try count("consecutiveGatewayErrors") { consecutiveGatewayErrors = value == 0 ? nil : value }
        if let value = try node.duration("interval") { interval = value }
        if let value = try node.duration("baseEjectionTime") { baseEjectionTime = value }
        if let value = try node.int("maxEjectionPercent") { maxEjectionPercent = value }
        if let value = try node.int("minHealthPercent") { minHealthPercent = value }
        for key in ["interval", "baseEjectionTime"] {
            if let field = try node.child(key), try field.duration() <= .zero {
                throw field.error(.malformedResource, "'\(field.path)' must be a positive duration")
            }
        }
    }
}
