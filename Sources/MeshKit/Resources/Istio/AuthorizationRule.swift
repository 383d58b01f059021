/// One rule of an ``AuthorizationPolicyResource``: it matches a request when one of its
/// ``from`` sources, one of its ``to`` operations and every ``when`` condition match. A list
/// left empty does not constrain; a rule with no fields at all matches every request.
public struct AuthorizationRule: Sendable, Hashable {
    /// `from[].source`.
    public var from: [AuthorizationSource]
    /// `to[].operation`.
    public var to: [AuthorizationOperation]
    /// `when`.
    public var when: [AuthorizationCondition]

    /// Creates a rule.
    public init(from: [AuthorizationSource] = [], to: [AuthorizationOperation] = [], when: [AuthorizationCondition] = []) {
        self.from = from
        self.to = to
        self.when = when
    }

    init(node: ResourceNode) throws(MeshError) {
        try node.checkMembers(["from", "to", "when"], kind: "an AuthorizationPolicy rule")
        var from: [AuthorizationSource] = []
        for item in try node.items("from") {
            try item.checkMembers(["source"], kind: "rules[].from[]")
            from.append(try AuthorizationSource(node: try item.required("source")))
        }
        var to: [AuthorizationOperation] = []
        for item in try node.items("to") {
            try item.checkMembers(["operation"], kind: "rules[].to[]")
            to.append(try AuthorizationOperation(node: try item.required("operation")))
        }
        var when: [AuthorizationCondition] = []
        for item in try node.items("when") {
            when.append(try AuthorizationCondition(node: item))
        }
        self.from = from
        self.to = to
        self.when = when
    }
}
