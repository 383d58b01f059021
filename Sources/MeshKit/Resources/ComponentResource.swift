/// A Dapr `Component` resource (`dapr.io/v1alpha1`): a named, typed building-block
/// implementation with its metadata.
public struct ComponentResource: Sendable, Hashable {
    /// Name, namespace, scopes and source file.
    public var header: ResourceHeader
    /// The component type, such as `state.in-memory` or `pubsub.redis`.
    public var type: String
    /// `spec.version`, `v1` unless given.
    public var version: String
    /// `spec.metadata`, in file order.
    public var metadata: [ComponentMetadataItem]
    /// `auth.secretStore`: the secret store that resolves `secretKeyRef` values.
    public var secretStore: String?
    /// `spec.ignoreErrors`: when true, a component that fails to initialise is skipped with a warning.
    public var ignoreErrors: Bool

    /// The component's name.
    public var name: String { header.name }

    /// Creates a component in code.
    public init(
        name: String,
        type: String,
        version: String = "v1",
        metadata: [ComponentMetadataItem] = [],
        scopes: [String] = [],
        secretStore: String? = nil,
        ignoreErrors: Bool = false
    ) {
        self.header = ResourceHeader(name: name, scopes: scopes)
        self.type = type
        self.version = version
        self.metadata = metadata
        self.secretStore = secretStore
        self.ignoreErrors = ignoreErrors
    }

    /// Creates a component in code from plain metadata values.
    public init(name: String, type: String, metadata: [String: String], scopes: [String] = []) {
        self.init(
            name: name,
            type: type,
            metadata: metadata.sorted { $0.key < $1.key }.map { ComponentMetadataItem(name: $0.key, value: $0.value) },
            scopes: scopes
        )
    }

    init(document: ResourceNode) throws(MeshError) {
        self.header = try ResourceHeader(document: document)
        let spec = try document.required("spec")
        self.type = try spec.requiredString("type")
        self.version = try spec.string("version") ?? "v1"
        self.ignoreErrors = try spec.bool("ignoreErrors") ?? false
        self.secretStore = try document.child("auth")?.string("secretStore")
        var items: [ComponentMetadataItem] = []
        for item in try spec.items("metadata") {
            items.append(try ComponentMetadataItem(node: item))
        }
        self.metadata = items
    }
}

/// One entry of a component's `spec.metadata`.
public struct ComponentMetadataItem: Sendable, Hashable {
    /// Where a metadata value comes from.
    public enum Value: Sendable, Hashable {
        /// A literal value.
        case literal(String)
        /// `secretKeyRef`: the secret `name` in the component's secret store, and the `key` within it
        /// (the key defaults to the name, as in Dapr).
        case secretKeyRef(name: String, key: String)
        /// `envRef`: the value of an environment variable of this process.
        case environment(String)
    }

    /// The metadata field name.
    public var name: String
    /// Its value or where to read it from.
    public var value: Value
    /// The line it was read from, if it came from a file.
    var line: Int?

    /// Creates a metadata item with a literal value.
    public init(name: String, value: String) {
        self.name = name
        self.value = .literal(value)
    }

    /// Creates a metadata item with any value source.
    public init(name: String, source: Value) {
        self.name = name
        self.value = source
    }

    init(node: ResourceNode) throws(MeshError) {
        self.name = try node.requiredString("name")
        self.line = node.line
        if let reference = try node.child("secretKeyRef") {
            let secretName = try reference.requiredString("name")
            self.value = .secretKeyRef(name: secretName, key: try reference.string("key") ?? secretName)
        } else if let variable = try node.child("envRef") {
            self.value = .environment(try variable.string())
        } else if let literal = try node.child("value") {
            self.value = .literal(try literal.string())
        } else {
            self.value = .literal("")
        }
    }
}
