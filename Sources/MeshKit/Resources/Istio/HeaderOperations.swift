/// Istio's `Headers.HeaderOperations`: headers to set, append and remove.
public struct HeaderOperations: Sendable, Hashable {
    /// `set`: headers to overwrite.
    public var set: [String: String]
    /// `add`: headers to append.
    public var add: [String: String]
    /// `remove`: headers to remove, by name.
    public var remove: [String]

    /// Creates header operations.
    public init(set: [String: String] = [:], add: [String: String] = [:], remove: [String] = []) {
        self.set = set
        self.add = add
        self.remove = remove
    }

    init(node: ResourceNode) throws(MeshError) {
        func map(_ key: String) throws(MeshError) -> [String: String] {
            var values: [String: String] = [:]
            for (name, value) in try node.members(key) { values[name] = try value.string() }
            return values
        }
        self.init(set: try map("set"), add: try map("add"), remove: try node.stringList("remove"))
    }
}

/// Istio's `Headers`: the header operations of a route or route destination, for the request
/// going to the destination and for the response coming back.
public struct HeaderManipulation: Sendable, Hashable {
    /// `request`.
    public var request: HeaderOperations
    /// `response`.
    public var response: HeaderOperations

    /// Creates header manipulations.
    public init(request: HeaderOperations = HeaderOperations(), response: HeaderOperations = HeaderOperations()) {
        self.request = request
        self.response = response
    }

    init(node: ResourceNode) throws(MeshError) {
        self.init(
            request: try node.child("request").map { node throws(MeshError) in try HeaderOperations(node: node) } ?? HeaderOperations(),
            response: try node.child("response").map { node throws(MeshError) in try HeaderOperations(node: node) } ?? HeaderOperations()
        )
    }
}
