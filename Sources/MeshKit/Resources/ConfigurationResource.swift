/// A Dapr `Configuration` resource. MeshKit applies its tracing, name-resolution and
/// access-control sections; other sections are accepted and ignored with a debug log.
public struct ConfigurationResource: Sendable {
    /// Name, namespace, scopes and source file.
    public var header: ResourceHeader
    /// `spec.tracing`.
    public var tracing: Tracing?
    /// `spec.nameResolution`.
    public var nameResolution: NameResolution?
    /// `spec.accessControl`: which calling apps may invoke which methods (see ``Authorizer``).
    public var accessControl: AccessControlSpec?
    /// The `spec` sections MeshKit does not apply, such as `metric` or `features`.
    public var ignoredSections: [String]

    /// `spec.tracing`.
    public struct Tracing: Sendable, Hashable {
        /// The fraction of traces sampled, from 0 to 1 (Dapr's `samplingRate`, a string in YAML).
        public var samplingRate: Double
        /// Exporter sections present (such as `zipkin` or `otel`). MeshKit's spans go to the
        /// application's swift-distributed-tracing backend; the backend the app bootstraps reads
        /// ``otel`` and ``zipkinEndpointAddress`` (as `Examples/OTelExport` does).
        public var exporters: [String]
        /// `otel`: where an OTLP exporter sends traces.
        public var otel: OTelExporter?
        /// `zipkin.endpointAddress`, such as `http://localhost:9411/api/v2/spans`.
        public var zipkinEndpointAddress: String?

        /// Creates a tracing section.
        public init(samplingRate: Double, exporters: [String] = [], otel: OTelExporter? = nil, zipkinEndpointAddress: String? = nil) {
            self.samplingRate = samplingRate
            self.exporters = exporters
            self.otel = otel
            self.zipkinEndpointAddress = zipkinEndpointAddress
        }
    }

    /// `spec.tracing.otel`: Dapr's OTLP exporter settings.
    public struct OTelExporter: Sendable, Hashable {
        /// `endpointAddress`, such as `localhost:4318` (Dapr writes no scheme).
        public var endpointAddress: String
        /// `isSecure`: whether the exporter uses TLS.
        public var isSecure: Bool
        /// `protocol`: `http` or `grpc`.
        public var `protocol`: String

        /// Creates OTLP exporter settings.
        public init(endpointAddress: String, isSecure: Bool = false, protocol: String = "http") {
            self.endpointAddress = endpointAddress
            self.isSecure = isSecure
            self.protocol = `protocol`
        }
    }

    /// `spec.nameResolution`: which resolver finds other apps, and its settings.
    public struct NameResolution: Sendable, Hashable {
        /// `component`, such as `mdns`, `dns` or `static`.
        public var component: String
        /// `configuration`, kept as JSON for the resolver to read.
        public var configuration: JSONValue?

        /// Creates a name-resolution section.
        public init(component: String, configuration: JSONValue? = nil) {
            self.component = component
            self.configuration = configuration
        }
    }

    /// Creates a configuration in code.
    public init(name: String, tracing: Tracing? = nil, nameResolution: NameResolution? = nil, accessControl: AccessControlSpec? = nil) {
        self.header = ResourceHeader(name: name)
        self.tracing = tracing
        self.nameResolution = nameResolution
        self.accessControl = accessControl
        self.ignoredSections = []
    }

    init(document: ResourceNode) throws(MeshError) {
        self.header = try ResourceHeader(document: document)
        let spec = try document.child("spec")
        var ignored: [String] = []
        var tracing: Tracing?
        var nameResolution: NameResolution?
        var accessControl: AccessControlSpec?
        for (key, value) in try spec?.members() ?? [] {
            switch key {
            case "tracing":
                let rateText = try value.string("samplingRate") ?? "1"
                guard let rate = Double(rateText), (0...1).contains(rate) else {
                    let field = try value.required("samplingRate")
                    throw field.error(.malformedResource, "samplingRate must be a number from 0 to 1, not '\(rateText)'")
                }
                let exporters = try value.members().map(\.key).filter { $0 != "samplingRate" && $0 != "stdout" }
                let otel = try value.child("otel").map { node throws(MeshError) in
                    OTelExporter(
                        endpointAddress: try node.requiredString("endpointAddress"),
                        isSecure: try node.bool("isSecure") ?? false,
                        protocol: try node.string("protocol") ?? "http"
                    )
                }
                let zipkin = try value.child("zipkin").flatMap { node throws(MeshError) in try node.string("endpointAddress") }
                tracing = Tracing(samplingRate: rate, exporters: exporters, otel: otel, zipkinEndpointAddress: zipkin)
            case "nameResolution":
                nameResolution = NameResolution(
                    component: try value.requiredString("component"),
                    configuration: try value.child("configuration").map { node throws(MeshError) in try node.json() }
                )
            case "accessControl":
                accessControl = try AccessControlSpec(node: value)
            default:
                ignored.append(key)
            }
        }
        self.tracing = tracing
        self.nameResolution = nameResolution
        self.accessControl = accessControl
        self.ignoredSections = ignored
    }
}

extension ResourceNode {
    /// The node as a JSON value; scalars stay strings, as Dapr reads metadata.
    /// The walk is charged to the file's expansion budget and bounded in depth.
    func json() throws(MeshError) -> JSONValue {
        if isNull { return .null }
        try budget.checkDepth(depth, at: self)
        if node.sequence != nil {
            var values: [JSONValue] = []
            for item in try items() { values.append(try item.json()) }
            return .array(values)
        }
        if node.mapping != nil {
            var members: [String: JSONValue] = [:]
            for (key, value) in try self.members() { members[key] = try value.json() }
            return .object(members)
        }
        return .string(try string())
    }
}
