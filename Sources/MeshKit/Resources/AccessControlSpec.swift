/// Dapr's `accessControl` section of a `Configuration`: which calling apps may invoke which
/// methods of this app, by the caller's verified identity (trust domain, namespace, app ID).
///
/// Read as daprd reads it: with no `defaultAction`, the global default is `deny` once any
/// policy is listed and `allow` otherwise; every policy needs `appId`, `namespace` and
/// `trustDomain`; an operation without `action` denies (daprd's behaviour, although Dapr's
/// documentation calls `allow` the default). See ``Authorizer`` for the evaluation.
public struct AccessControlSpec: Sendable, Hashable {
    /// `allow` or `deny`, compared case-insensitively as daprd does.
    public enum Action: String, Sendable, Hashable {
        /// Allow the call.
        case allow
        /// Deny the call.
        case deny
    }

    /// One caller's policy.
    public struct AppPolicy: Sendable, Hashable {
        /// `appId`: the calling app.
        public var appID: String
        /// `namespace`: the calling app's namespace.
        public var namespace: String
        /// `trustDomain`: the calling app's trust domain.
        public var trustDomain: String
        /// `defaultAction`: for this caller's operations no entry matches; the global default when `nil`.
        public var defaultAction: Action?
        /// `operations`, in order; the first whose name matches decides.
        public var operations: [Operation]

        /// Creates a policy.
        public init(
            appID: String,
            namespace: String,
            trustDomain: String = "public",
            defaultAction: Action? = nil,
            operations: [Operation] = []
        ) {
            self.appID = appID
            self.namespace = namespace
            self.trustDomain = trustDomain
            self.defaultAction = defaultAction
            self.operations = operations
        }
    }

    /// One operation of a caller's policy.
    public struct Operation: Sendable, Hashable {
        /// `name`: the method path, compared case-insensitively; `*` as a whole segment matches
        /// one segment, `**` as the last segment matches one or more, and `*` within a segment
        /// matches any characters of that segment (`/op*`).
        public var name: String
        /// `httpVerb`: the HTTP methods, or `*` for any.
        public var httpVerbs: [String]
        /// `action`.
        public var action: Action

        /// Creates an operation.
        public init(name: String, httpVerbs: [String], action: Action) {
            self.name = name
            self.httpVerbs = httpVerbs
            self.action = action
        }
    }

    /// `defaultAction` as written.
    public var defaultAction: Action?
    /// `trustDomain`: this app's own trust domain; `public` when absent, as in Dapr.
    public var trustDomain: String
    /// `policies`.
    public var policies: [AppPolicy]

    /// Creates an access-control section.
    public init(defaultAction: Action? = nil, trustDomain: String = "public", policies: [AppPolicy] = []) {
        self.defaultAction = defaultAction
        self.trustDomain = trustDomain
        self.policies = policies
    }

    /// The action when no policy decides: ``defaultAction``, else `deny` when policies are listed, else `allow`.
    public var effectiveDefaultAction: Action {
        defaultAction ?? (policies.isEmpty ? .allow : .deny)
    }

    init(node: ResourceNode) throws(MeshError) {
        try node.checkMembers(["defaultAction", "trustDomain", "policies"], kind: "accessControl")
        self.defaultAction = try node.child("defaultAction").map { node throws(MeshError) in try Self.action(node) }
        self.trustDomain = try node.string("trustDomain").flatMap { $0.isEmpty ? nil : $0 } ?? "public"
        var policies: [AppPolicy] = []
        for item in try node.items("policies") {
            try item.checkMembers(
                ["appId", "app", "namespace", "trustDomain", "defaultAction", "operations"],
                kind: "an accessControl policy"
            )
            let written = try item.string("appId")
            let legacy = try item.string("app")
            guard let appID = written ?? legacy, !appID.isEmpty else {
                throw item.error(.missingField, "the accessControl policy '\(item.path)' needs an appId")
            }
            var operations: [Operation] = []
            for operation in try item.items("operations") {
                try operation.checkMembers(["name", "httpVerb", "action"], kind: "an accessControl operation")
                let nameNode = try operation.required("name")
                let name = try nameNode.string()
                if let doubleStar = name.range(of: "**"),
                    !name[doubleStar.upperBound...].isEmpty || !name[..<doubleStar.lowerBound].hasSuffix("/")
                {
                    throw nameNode.error(
                        .malformedResource,
                        "'**' must be the whole last segment of an operation name, as in /orders/**, not '\(name)'"
                    )
                }
                operations.append(
                    Operation(
                        name: name,
                        httpVerbs: try operation.stringList("httpVerb").map { $0.uppercased() },
                        action: try operation.child("action").map { node throws(MeshError) in try Self.action(node) } ?? .deny
                    )
                )
            }
            policies.append(
                AppPolicy(
                    appID: appID,
                    namespace: try item.requiredString("namespace"),
                    trustDomain: try item.requiredString("trustDomain"),
                    defaultAction: try item.child("defaultAction").map { node throws(MeshError) in try Self.action(node) },
                    operations: operations
                )
            )
        }
        self.policies = policies
    }

    private static func action(_ node: ResourceNode) throws(MeshError) -> Action {
        let text = try node.string()
        guard let action = Action(rawValue: text.lowercased()) else {
            throw node.error(.malformedResource, "'\(text)' is not an access-control action; write allow or deny")
        }
        return action
    }
}
