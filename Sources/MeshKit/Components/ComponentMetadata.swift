/// The resolved metadata of a component (secret references already read), with typed accessors
/// whose errors name the component, its file and the field.
///
/// Names are matched case-insensitively, as Dapr matches them.
public struct ComponentMetadata: Sendable {
    private let values: [String: String]
    /// The component the metadata belongs to.
    public let componentName: String
    /// Where the component was declared, if in a file.
    public let source: ResourceSource?
    /// The resource path the fields live under, for errors: `spec.metadata` for a component.
    let fieldPath: String

    /// Creates metadata from resolved values.
    public init(_ values: [String: String], componentName: String, source: ResourceSource? = nil) {
        self.init(values, componentName: componentName, source: source, fieldPath: "spec.metadata")
    }

    init(_ values: [String: String], componentName: String, source: ResourceSource?, fieldPath: String) {
        self.values = Dictionary(values.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.componentName = componentName
        self.source = source
        self.fieldPath = fieldPath
    }

    /// The value of `name`, or `nil` when absent.
    public subscript(name: String) -> String? {
        values[name.lowercased()]
    }

    /// Every field name given, lower-cased.
    public var names: [String] { values.keys.sorted() }

    /// The value of `name`, which must be present and non-empty.
    public func required(_ name: String) throws(MeshError) -> String {
        guard let value = self[name], !value.isEmpty else {
            throw MeshError(
                .missingMetadata,
                "the component '\(componentName)' requires the metadata field '\(name)'",
                context: context(name)
            )
        }
        return value
    }

    /// An integer field.
    public func int(_ name: String, default defaultValue: Int) throws(MeshError) -> Int {
        guard let text = nonEmpty(name) else { return defaultValue }
        guard let value = Int(text) else { throw invalid(name, text, "a whole number") }
        return value
    }

    /// A boolean field.
    public func bool(_ name: String, default defaultValue: Bool) throws(MeshError) -> Bool {
        guard let text = nonEmpty(name) else { return defaultValue }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw invalid(name, text, "true or false")
        }
    }

    /// A duration field, written as Go writes durations (`5s`, `500ms`) or as whole milliseconds.
    public func duration(_ name: String, default defaultValue: Duration) throws(MeshError) -> Duration {
        guard let text = nonEmpty(name) else { return defaultValue }
        if let milliseconds = Int(text) { return .milliseconds(milliseconds) }
        guard let value = GoDuration.parse(text) else { throw invalid(name, text, "a duration such as 5s or 500ms") }
        return value
    }

    /// The error for a value of `name` that cannot be used.
    public func invalid(_ name: String, _ value: String, _ expected: String) -> MeshError {
        MeshError(
            .invalidMetadata,
            "the metadata field '\(name)' of component '\(componentName)' must be \(expected), not '\(value)'",
            context: context(name)
        )
    }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }

    private func context(_ name: String) -> MeshError.Context {
        MeshError.Context(file: source?.file, line: source?.line, field: "\(fieldPath).\(name)", component: componentName)
    }
}
