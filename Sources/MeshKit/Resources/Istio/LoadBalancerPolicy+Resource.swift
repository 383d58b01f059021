extension LoadBalancerPolicy {
    /// Reads Istio's `LoadBalancerSettings`: `simple`, or `consistentHash` on `httpHeaderName` or
    /// `httpQueryParameterName` with `ringHash.minimumRingSize` (or the deprecated
    /// `minimumRingSize`; Envoy's default is 1024). Other hash keys are refused with a clear
    /// error; `localityLbSetting` and `warmupDurationSecs` are accepted and not applied.
    /// `nil` when neither `simple` nor `consistentHash` is set.
    init?(node: ResourceNode) throws(MeshError) {
        let simpleNode = try node.child("simple")
        let hashNode = try node.child("consistentHash")
        if simpleNode != nil, let hashNode {
            throw hashNode.error(.malformedResource, "'\(node.path)' must set only one of 'simple' and 'consistentHash'")
        }
        if let simpleNode {
            let text = try simpleNode.string()
            guard let simple = Simple(rawValue: text) else {
                let known = Simple.allCases.map(\.rawValue).joined(separator: ", ")
                throw simpleNode.error(.malformedResource, "'\(text)' is not a load balancer MeshKit knows; write one of \(known)")
            }
            self = .simple(simple)
        } else if let hashNode {
            self = try Self.consistentHash(hashNode)
        } else {
            return nil
        }
    }

    private static func consistentHash(_ node: ResourceNode) throws(MeshError) -> LoadBalancerPolicy {
        for field in ["httpCookie", "useSourceIp", "maglev"] {
            if let present = try node.child(field) {
                throw present.error(
                    .malformedResource,
                    "'\(present.path)': MeshKit does not support '\(field)' for a consistent hash; hash on httpHeaderName or httpQueryParameterName"
                )
            }
        }
        let header = try node.string("httpHeaderName")
        let query = try node.string("httpQueryParameterName")
        let key: HashKey
        switch (header, query) {
        case (let header?, nil): key = .header(header)
        case (nil, let query?): key = .queryParameter(query)
        case (nil, nil): throw node.error(.missingField, "'\(node.path)' must set httpHeaderName or httpQueryParameterName")
        case (_?, _?): throw node.error(.malformedResource, "'\(node.path)' must set only one hash key")
        }
        var sizeField = try node.child("ringHash")?.child("minimumRingSize")
        if sizeField == nil { sizeField = try node.child("minimumRingSize") }
        var size = 1024
        if let sizeField {
            guard let value = Int(try sizeField.string()), value > 0 else {
                throw sizeField.error(.malformedResource, "'\(sizeField.path)' must be a positive whole number")
            }
            size = value
        }
        return .consistentHash(key, minimumRingSize: size)
    }
}
