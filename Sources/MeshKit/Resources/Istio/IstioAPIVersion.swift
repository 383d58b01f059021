/// The `apiVersion`s MeshKit reads for each Istio kind.
enum IstioAPIVersion {
    /// `VirtualService` and `DestinationRule`: every served version of `networking.istio.io`
    /// (`v1` since Istio 1.22, `v1beta1`, and the older `v1alpha3`), which share one schema.
    static let networking = ["networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"]
    /// `AuthorizationPolicy` and `PeerAuthentication`: `security.istio.io` `v1` (since Istio
    /// 1.22) and `v1beta1`, which share one schema.
    static let security = ["security.istio.io/v1", "security.istio.io/v1beta1"]
    /// `IstioOperator`.
    static let install = ["install.istio.io/v1alpha1"]

    /// Throws an error naming the accepted versions when `document`'s `apiVersion` is not one of `accepted`.
    static func check(_ document: ResourceNode, kind: String, accepted: [String]) throws(MeshError) {
        let field = try document.required("apiVersion")
        let version = try field.string()
        guard accepted.contains(version) else {
            throw field.error(
                .malformedResource,
                "MeshKit does not read \(kind) '\(version)'; the accepted apiVersions are \(accepted.joined(separator: ", "))"
            )
        }
    }
}
