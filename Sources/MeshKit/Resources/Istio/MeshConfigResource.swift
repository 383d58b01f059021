/// The mesh settings MeshKit reads from an Istio `IstioOperator` (`install.istio.io/v1alpha1`),
/// read unchanged: `spec.meshConfig.accessLogFile` and `spec.meshConfig.enableTracing`. Every
/// other section (such as `profile` or `components`) is accepted and ignored, and named in
/// ``ignoredSections``.
///
/// Istio resources have no Dapr `scopes`: mesh settings apply to every app.
public struct MeshConfigResource: Sendable, Hashable {
    /// Name, namespace and source file.
    public var header: ResourceHeader
    /// `spec.meshConfig.accessLogFile`: where access logs go, such as `/dev/stdout`; `nil` or
    /// empty turns them off, as in Istio.
    public var accessLogFile: String?
    /// `spec.meshConfig.enableTracing` as written; see ``tracingEnabled``.
    public var enableTracing: Bool?
    /// The sections MeshKit ignores: `spec` members other than `meshConfig`, and
    /// `meshConfig` members other than the two it reads, as `meshConfig.<name>`.
    public var ignoredSections: [String]

    /// Whether tracing is on: ``enableTracing``, or Istio's default, `true`.
    public var tracingEnabled: Bool { enableTracing ?? true }

    /// Creates mesh settings in code.
    public init(name: String, accessLogFile: String? = nil, enableTracing: Bool? = nil) {
        self.header = ResourceHeader(name: name)
        self.accessLogFile = accessLogFile
        self.enableTracing = enableTracing
        self.ignoredSections = []
    }

    init(document: ResourceNode) throws(MeshError) {
        try IstioAPIVersion.check(document, kind: "IstioOperator", accepted: IstioAPIVersion.install)
        self.header = try ResourceHeader(document: document)
        var ignored: [String] = []
        var accessLogFile: String?
        var enableTracing: Bool?
        for (key, value) in try document.child("spec")?.members() ?? [] {
            guard key == "meshConfig" else {
                ignored.append(key)
                continue
            }
            for (name, _) in try value.members() {
                switch name {
                case "accessLogFile": accessLogFile = try value.string(name)
                case "enableTracing": enableTracing = try value.bool(name)
                default: ignored.append("meshConfig.\(name)")
                }
            }
        }
        self.accessLogFile = accessLogFile
        self.enableTracing = enableTracing
        self.ignoredSections = ignored
    }
}
