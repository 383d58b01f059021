/// Where a resource was read from, so errors about it can point at the file and line.
public struct ResourceSource: Sendable, Hashable, CustomStringConvertible {
    /// The path of the file.
    public var file: String
    /// The 1-based line where the resource's document starts.
    public var line: Int?

    /// Creates a source location.
    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    public var description: String { line.map { "\(file):\($0)" } ?? file }
}

/// The common header of every resource: its name, namespace, scopes and origin.
public struct ResourceHeader: Sendable, Hashable {
    /// `metadata.name`.
    public var name: String
    /// `metadata.namespace`, if any.
    public var namespace: String?
    /// The app IDs the resource applies to; empty means every app.
    public var scopes: [String]
    /// The file the resource was read from, or `nil` for resources built in code.
    public var source: ResourceSource?

    /// Creates a header.
    public init(name: String, namespace: String? = nil, scopes: [String] = [], source: ResourceSource? = nil) {
        self.name = name
        self.namespace = namespace
        self.scopes = scopes
        self.source = source
    }

    /// Whether the resource applies to `appID`, following Dapr's `scopes` rule.
    public func applies(to appID: String) -> Bool {
        scopes.isEmpty || scopes.contains(appID)
    }

    init(document: ResourceNode) throws(MeshError) {
        let metadata = try document.required("metadata")
        self.init(
            name: try metadata.requiredString("name"),
            namespace: try metadata.string("namespace"),
            scopes: try document.stringList("scopes"),
            source: ResourceSource(file: document.file, line: document.line)
        )
    }
}
