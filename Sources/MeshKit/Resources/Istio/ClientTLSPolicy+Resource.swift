extension ClientTLSPolicy {
    /// Reads Istio's `ClientTLSSettings`; `mode` defaults to `DISABLE`, as in Istio. Fields
    /// such as `credentialName` and `insecureSkipVerify` are accepted and not applied.
    init(node: ResourceNode) throws(MeshError) {
        var mode = Mode.disable
        if let field = try node.child("mode") {
            let text = try field.string()
            guard let known = Mode(rawValue: text) else {
                let modes = Mode.allCases.map(\.rawValue).joined(separator: ", ")
                throw field.error(.malformedResource, "'\(text)' is not a TLS mode; write one of \(modes)")
            }
            mode = known
        }
        self.init(
            mode: mode,
            clientCertificate: try node.string("clientCertificate"),
            privateKey: try node.string("privateKey"),
            caCertificates: try node.string("caCertificates"),
            sni: try node.string("sni"),
            subjectAltNames: try node.stringList("subjectAltNames")
        )
    }
}
