/// `rules[].from[].source` of an ``AuthorizationPolicyResource``: who the caller is. Every
/// field set must match; within a field, any value. Values use Istio's matching: exact,
/// prefix `abc*`, suffix `*abc`, or `*`.
///
/// Principals and namespaces come from the caller's mTLS certificate: a plaintext caller has
/// neither, so `principals: ["*"]` (any authenticated caller) does not match it, while
/// `notPrincipals` does.
public struct AuthorizationSource: Sendable, Hashable {
    /// `principals`: Istio principals, `<trust domain>/ns/<namespace>/sa/<service account>`.
    public var principals: [String]
    /// `notPrincipals`.
    public var notPrincipals: [String]
    /// `namespaces`: the caller's namespace, from its principal.
    public var namespaces: [String]
    /// `notNamespaces`.
    public var notNamespaces: [String]
    /// `ipBlocks`: the caller's address, as IPv4 or IPv6 addresses or CIDR blocks.
    public var ipBlocks: [String]
    /// `notIpBlocks`.
    public var notIpBlocks: [String]

    /// Creates a source.
    public init(
        principals: [String] = [],
        notPrincipals: [String] = [],
        namespaces: [String] = [],
        notNamespaces: [String] = [],
        ipBlocks: [String] = [],
        notIpBlocks: [String] = []
    ) {
        self.principals = principals
        self.notPrincipals = notPrincipals
        self.namespaces = namespaces
        self.notNamespaces = notNamespaces
        self.ipBlocks = ipBlocks
        self.notIpBlocks = notIpBlocks
    }

    static let fields: Set<String> = ["principals", "notPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks"]
    static let refused: Set<String> = ["requestPrincipals", "notRequestPrincipals", "remoteIpBlocks", "notRemoteIpBlocks"]

    init(node: ResourceNode) throws(MeshError) {
        for (key, value) in try node.members() where Self.refused.contains(key) {
            throw value.error(
                .malformedResource,
                "'\(value.path)' is not supported: MeshKit has no RequestAuthentication (JWT) and sees no X-Forwarded-For chain"
            )
        }
        try node.checkMembers(Self.fields, kind: "an AuthorizationPolicy source")
        self.init(
            principals: try node.stringList("principals"),
            notPrincipals: try node.stringList("notPrincipals"),
            namespaces: try node.stringList("namespaces"),
            notNamespaces: try node.stringList("notNamespaces"),
            ipBlocks: try node.cidrList("ipBlocks"),
            notIpBlocks: try node.cidrList("notIpBlocks")
        )
    }
}

extension ResourceNode {
    /// A list of addresses or CIDR blocks; one that does not parse is an error naming it.
    func cidrList(_ key: String) throws(MeshError) -> [String] {
        var blocks: [String] = []
        for item in try items(key) {
            let text = try item.string()
            guard CIDRBlock(text) != nil else {
                throw item.error(.malformedResource, "'\(text)' is not an IP address or CIDR block, such as 10.0.0.0/8 or 2001:db8::/32")
            }
            blocks.append(text)
        }
        return blocks
    }
}
