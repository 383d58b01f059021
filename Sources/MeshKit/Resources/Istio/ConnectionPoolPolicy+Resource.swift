extension ConnectionPoolPolicy {
    /// Reads Istio's `ConnectionPoolSettings`: `tcp.maxConnections`, `tcp.connectTimeout` and
    /// `http.http1MaxPendingRequests`, `http2MaxRequests`, `maxRequestsPerConnection`,
    /// `maxRetries`, `idleTimeout` and `h2UpgradePolicy`. As in Istio, a limit of 0 is unset
    /// (Envoy's default) and a negative one is an error. Other fields are accepted and not applied.
    init(node: ResourceNode) throws(MeshError) {
        func limit(_ parent: ResourceNode?, _ key: String) throws(MeshError) -> Int? {
            guard let parent, let value = try parent.int(key) else { return nil }
            guard value >= 0 else {
                throw try parent.required(key).error(.malformedResource, "'\(parent.path).\(key)' must not be negative")
            }
            return value == 0 ? nil : value
        }
        let tcp = try node.child("tcp")
        let http = try node.child("http")
        var policy = ConnectionPoolPolicy(
            maxConnections: try limit(tcp, "maxConnections"),
            connectTimeout: try tcp?.nonNegativeDuration("connectTimeout"),
            http1MaxPendingRequests: try limit(http, "http1MaxPendingRequests"),
            http2MaxRequests: try limit(http, "http2MaxRequests"),
            maxRequestsPerConnection: try limit(http, "maxRequestsPerConnection"),
            maxRetries: try limit(http, "maxRetries"),
            idleTimeout: try http?.nonNegativeDuration("idleTimeout")
        )
        if let field = try http?.child("h2UpgradePolicy") {
            let text = try field.string()
            guard let upgrade = H2UpgradePolicy(rawValue: text) else {
                let known = ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"].joined(separator: ", ")
                throw field.error(.malformedResource, "'\(text)' is not an h2UpgradePolicy; write one of \(known)")
            }
            policy.h2UpgradePolicy = upgrade
        }
        self = policy
    }
}
