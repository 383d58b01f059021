extension Endpoint {
    /// The label that names the SPIFFE ID an endpoint's workload presents, such as
    /// `spiffe://cluster.local/ns/default/sa/product-service`: an mTLS caller refuses a peer
    /// whose certificate carries another.
    public static let spiffeIDLabel = "spiffe.io/id"

    /// The SPIFFE ID the endpoint's ``spiffeIDLabel`` label names; `nil` without the label,
    /// and an error when the label does not parse.
    public func expectedIdentity() throws(MeshError) -> SPIFFEID? {
        guard let value = labels[Self.spiffeIDLabel] else { return nil }
        return try SPIFFEID(parsing: value)
    }
}
