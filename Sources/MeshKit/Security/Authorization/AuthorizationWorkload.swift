/// The app an ``Authorizer`` decides for, as Istio's policies select it: its namespace and
/// labels.
public struct AuthorizationWorkload: Sendable, Hashable {
    /// The app ID.
    public var appID: String
    /// The namespace; policies in it (and in ``rootNamespace``) apply. A resource or app
    /// without a namespace is in `default`, as Kubernetes puts it.
    public var namespace: String
    /// The labels `selector.matchLabels` compare with: `app: <app ID>` unless set otherwise.
    public var labels: [String: String]
    /// The namespace whose policies apply to the whole mesh: Istio's `istio-system` unless
    /// the mesh's `rootNamespace` says otherwise.
    public var rootNamespace: String

    /// Creates a workload; `labels` defaults to `["app": appID]`.
    public init(appID: String, namespace: String? = nil, labels: [String: String]? = nil, rootNamespace: String = "istio-system") {
        self.appID = appID
        self.namespace = namespace ?? Self.defaultNamespace
        self.labels = labels ?? ["app": appID]
        self.rootNamespace = rootNamespace
    }

    /// The namespace of resources and apps that name none.
    public static let defaultNamespace = "default"

    /// Whether a policy in `namespace` with `selector` applies to this workload.
    func isSelected(namespace: String?, selector: [String: String]?) -> Bool {
        let policyNamespace = namespace ?? Self.defaultNamespace
        guard policyNamespace == self.namespace || policyNamespace == rootNamespace else { return false }
        guard let selector else { return true }
        return selector.allSatisfy { labels[$0.key] == $0.value }
    }
}
