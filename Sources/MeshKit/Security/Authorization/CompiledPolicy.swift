/// An ``AuthorizationPolicyResource`` compiled for one workload.
struct CompiledPolicy: Sendable {
    /// `namespace/name`, as denials name it.
    let name: String
    let rules: [CompiledRule]

    init(_ policy: AuthorizationPolicyResource) {
        name = "\(policy.header.namespace ?? AuthorizationWorkload.defaultNamespace)/\(policy.header.name)"
        rules = policy.rules.map(CompiledRule.init)
    }

    /// Whether any rule matches; a policy without rules matches nothing.
    func matches(_ request: AuthorizationRequest, _ address: IPAddressBits?) -> Bool {
        for index in rules.indices where rules[index].matches(request, address) { return true }
        return false
    }
}
