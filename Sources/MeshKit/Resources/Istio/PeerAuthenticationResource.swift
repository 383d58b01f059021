/// An Istio `PeerAuthentication` (`security.istio.io` `v1` or `v1beta1`), read unchanged:
/// whether the workloads it selects accept plaintext, mutual TLS, or both.
///
/// A policy in the root namespace without a selector is mesh-wide, one without a selector
/// in another namespace is namespace-wide, and one with a selector applies to the workloads
/// whose labels match; ``PeerAuthenticationPolicies`` applies Istio's precedence between them.
public struct PeerAuthenticationResource: Sendable, Hashable {
    /// `mtls.mode` as written.
    public enum Mode: String, Sendable, Hashable {
        /// Inherits the mode of the parent policy (namespace, then mesh); PERMISSIVE at the top.
        case unset = "UNSET"
        /// Mutual TLS only.
        case strict = "STRICT"
        /// Mutual TLS and plaintext.
        case permissive = "PERMISSIVE"
        /// Plaintext only.
        case disable = "DISABLE"
    }

    /// Name, namespace and source file.
    public var header: ResourceHeader
    /// `spec.selector.matchLabels`; `nil` for a namespace-wide or mesh-wide policy.
    public var selector: [String: String]?
    /// `spec.mtls.mode`; UNSET when absent.
    public var mode: Mode
    /// `spec.portLevelMtls`: the mode of single ports, which only a policy with a selector may set.
    public var portLevelModes: [Int: Mode]

    /// Creates a policy in code.
    public init(name: String, namespace: String? = nil, selector: [String: String]? = nil, mode: Mode, portLevelModes: [Int: Mode] = [:]) {
        self.header = ResourceHeader(name: name, namespace: namespace)
        self.selector = selector
        self.mode = mode
        self.portLevelModes = portLevelModes
    }

    init(document: ResourceNode) throws(MeshError) {
        try IstioAPIVersion.check(document, kind: "PeerAuthentication", accepted: IstioAPIVersion.security)
        self.header = try ResourceHeader(document: document)
        let spec = try document.child("spec")
        try spec?.checkMembers(["selector", "mtls", "portLevelMtls"], kind: "a PeerAuthentication spec")
        self.selector = try spec?.child("selector").map { node throws(MeshError) in try node.matchLabels() }
        self.mode = try spec?.child("mtls").map { node throws(MeshError) in try Self.mode(of: node) } ?? .unset
        var ports: [Int: Mode] = [:]
        if let portLevel = try spec?.child("portLevelMtls") {
            guard selector != nil else {
                throw portLevel.error(
                    .malformedResource,
                    "portLevelMtls needs a selector: Istio applies port-level modes to selected workloads only"
                )
            }
            for (key, value) in try portLevel.members() {
                guard let port = Int(key), (1...65535).contains(port) else {
                    throw value.error(.malformedResource, "'\(key)' is not a port from 1 to 65535")
                }
                ports[port] = try Self.mode(of: value)
            }
        }
        self.portLevelModes = ports
    }

    /// The `mode` of an `mtls` mapping; an unknown mode is an error naming the field.
    private static func mode(of mtls: ResourceNode) throws(MeshError) -> Mode {
        try mtls.checkMembers(["mode"], kind: "mtls")
        guard let node = try mtls.child("mode") else { return .unset }
        let text = try node.string()
        guard let mode = Mode(rawValue: text) else {
            throw node.error(.malformedResource, "'\(text)' is not an mTLS mode; write STRICT, PERMISSIVE, DISABLE or UNSET")
        }
        return mode
    }
}
