/// `rules[].when[]` of an ``AuthorizationPolicyResource``: a condition on one attribute of
/// the request. It matches when the attribute matches one of ``values`` (if any) and none of
/// ``notValues`` (if any).
public struct AuthorizationCondition: Sendable, Hashable {
    /// The attributes a condition can name.
    public enum Key: Sendable, Hashable {
        /// `request.headers[<name>]`; the name compares case-insensitively.
        case requestHeader(String)
        /// `source.principal`.
        case sourcePrincipal
        /// `source.namespace`.
        case sourceNamespace
        /// `source.ip`: values are addresses or CIDR blocks.
        case sourceIP
        /// `destination.port`: values are ports.
        case destinationPort

        /// Reads a key as Istio writes it, or `nil` for one MeshKit does not know.
        init?(_ text: String) {
            switch text {
            case "source.principal": self = .sourcePrincipal
            case "source.namespace": self = .sourceNamespace
            case "source.ip": self = .sourceIP
            case "destination.port": self = .destinationPort
            default:
                guard text.hasPrefix("request.headers["), text.hasSuffix("]"), text.count > "request.headers[]".count else { return nil }
                self = .requestHeader(String(text.dropFirst("request.headers[".count).dropLast()))
            }
        }

        /// The key as Istio writes it.
        public var text: String {
            switch self {
            case .requestHeader(let name): "request.headers[\(name)]"
            case .sourcePrincipal: "source.principal"
            case .sourceNamespace: "source.namespace"
            case .sourceIP: "source.ip"
            case .destinationPort: "destination.port"
            }
        }
    }

    /// `key`.
    public var key: Key
    /// `values`.
    public var values: [String]
    /// `notValues`.
    public var notValues: [String]

    /// Creates a condition.
    public init(key: Key, values: [String] = [], notValues: [String] = []) {
        self.key = key
        self.values = values
        self.notValues = notValues
    }

    init(node: ResourceNode) throws(MeshError) {
        try node.checkMembers(["key", "values", "notValues"], kind: "an AuthorizationPolicy condition")
        let keyNode = try node.required("key")
        let keyText = try keyNode.string()
        guard let key = Key(keyText) else {
            let hint =
                keyText.hasPrefix("request.auth.")
                ? "request.auth.* needs RequestAuthentication (JWT), which MeshKit does not support"
                : "the keys MeshKit supports are request.headers[<name>], source.principal, source.namespace, source.ip and destination.port"
            throw keyNode.error(.malformedResource, "'\(keyText)' is not a supported condition key; \(hint)")
        }
        let values: [String]
        let notValues: [String]
        switch key {
        case .sourceIP:
            values = try node.cidrList("values")
            notValues = try node.cidrList("notValues")
        case .destinationPort:
            values = try node.portList("values").map(String.init)
            notValues = try node.portList("notValues").map(String.init)
        default:
            values = try node.stringList("values")
            notValues = try node.stringList("notValues")
        }
        guard !values.isEmpty || !notValues.isEmpty else {
            throw node.error(.malformedResource, "the condition on '\(keyText)' needs values or notValues")
        }
        self.init(key: key, values: values, notValues: notValues)
    }
}
