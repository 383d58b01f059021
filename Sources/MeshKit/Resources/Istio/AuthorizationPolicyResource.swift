/// An Istio `AuthorizationPolicy` (`security.istio.io` `v1` or `v1beta1`), read unchanged:
/// which callers may do what to the workloads it selects.
///
/// Istio resources have no Dapr `scopes`: a policy applies by namespace and
/// ``selector`` (see ``Authorizer``). The values are kept as written; ``Authorizer`` compiles
/// them once. `action: CUSTOM` (an external authorizer), `provider`, `targetRef(s)` and
/// `when` keys other than those ``AuthorizationCondition/Key`` lists are refused with an error
/// naming the field, rather than ignored: a policy read partly would not say what it says.
public struct AuthorizationPolicyResource: Sendable, Hashable {
    /// What a policy does with the requests its rules match.
    public enum Action: String, Sendable, Hashable {
        /// Requests a rule matches are allowed; once any ALLOW policy applies to a workload,
        /// requests no ALLOW policy matches are denied. Istio's default.
        case allow = "ALLOW"
        /// Requests a rule matches are denied, whatever ALLOW policies say.
        case deny = "DENY"
        /// Requests a rule matches are marked for auditing; the decision is not changed.
        case audit = "AUDIT"
    }

    /// Name, namespace and source file.
    public var header: ResourceHeader
    /// `spec.action`.
    public var action: Action
    /// `spec.selector.matchLabels`; `nil` selects every workload of the policy's namespace
    /// (of the whole mesh, in the root namespace).
    public var selector: [String: String]?
    /// `spec.rules`. With none, an ALLOW policy matches nothing (so it denies every request:
    /// Istio's "allow-nothing"), and a DENY or AUDIT policy matches nothing.
    public var rules: [AuthorizationRule]

    /// Creates a policy in code.
    public init(
        name: String,
        namespace: String? = nil,
        action: Action = .allow,
        selector: [String: String]? = nil,
        rules: [AuthorizationRule]
    ) {
        self.header = ResourceHeader(name: name, namespace: namespace)
        self.action = action
        self.selector = selector
        self.rules = rules
    }

    init(document: ResourceNode) throws(MeshError) {
        try IstioAPIVersion.check(document, kind: "AuthorizationPolicy", accepted: IstioAPIVersion.security)
        self.header = try ResourceHeader(document: document)
        let spec = try document.child("spec")
        let actionNode = try spec?.child("action")
        let actionText = try actionNode?.string() ?? "ALLOW"
        switch actionText {
        case "ALLOW": action = .allow
        case "DENY": action = .deny
        case "AUDIT": action = .audit
        case "CUSTOM":
            throw actionNode!.error(
                .malformedResource,
                "action CUSTOM (an external authorizer such as ext_authz) is not supported by MeshKit; use ALLOW, DENY or AUDIT"
            )
        default:
            throw actionNode!.error(.malformedResource, "'\(actionText)' is not an AuthorizationPolicy action; write ALLOW, DENY or AUDIT")
        }
        for refused in ["provider", "targetRef", "targetRefs"] {
            if let node = try spec?.child(refused) {
                throw node.error(
                    .malformedResource,
                    "'\(node.path)' is not supported: MeshKit applies policies by namespace and selector, and has no external authorizer"
                )
            }
        }
        self.selector = try spec?.child("selector").map { node throws(MeshError) in try node.matchLabels() }
        var rules: [AuthorizationRule] = []
        for item in try spec?.items("rules") ?? [] {
            rules.append(try AuthorizationRule(node: item))
        }
        self.rules = rules
    }
}

extension ResourceNode {
    /// `matchLabels` of a workload selector, as a dictionary; any other selector field is an error.
    func matchLabels() throws(MeshError) -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in try members() {
            guard key == "matchLabels" else {
                throw value.error(.malformedResource, "'\(value.path)' is not supported; a workload selector has only matchLabels")
            }
            for (label, labelValue) in try value.members() {
                labels[label] = try labelValue.string()
            }
        }
        return labels
    }

    /// Rejects any member of this mapping not in `known`, naming it.
    func checkMembers(_ known: Set<String>, kind: String) throws(MeshError) {
        for (key, value) in try members() where !known.contains(key) {
            throw value.error(
                .malformedResource,
                "'\(value.path)' is not a field of \(kind); the fields are \(known.sorted().joined(separator: ", "))"
            )
        }
    }
}
