import Foundation
import Yams

/// A YAML node of a resource file, with the file and the dotted field path it was reached by,
/// so that every error can name the file, the line and the field.
///
/// Mappings are read with their merge keys resolved (see `YAMLMergeKeys.swift`), and every walk
/// is charged to the file's ``ResourceExpansionBudget``, so aliases cannot expand without bound.
struct ResourceNode {
    let node: Node
    let file: String
    let path: String
    let budget: ResourceExpansionBudget
    /// How deep the walk that reached this node is, counting levels reached through aliases.
    let depth: Int

    /// The root of a document of `file`.
    init(root: Node, file: String, budget: ResourceExpansionBudget) {
        self.init(node: root, file: file, path: "", budget: budget, depth: 0)
    }

    private init(node: Node, file: String, path: String, budget: ResourceExpansionBudget, depth: Int) {
        self.node = node
        self.file = file
        self.path = path
        self.budget = budget
        self.depth = depth
    }

    /// The node `value`, the member `key` of this mapping.
    private func descendant(_ value: Node, key: String) -> ResourceNode {
        ResourceNode(node: value, file: file, path: path.isEmpty ? key : "\(path).\(key)", budget: budget, depth: depth + 1)
    }

    /// The node `value`, the item `index` of this list.
    private func descendant(_ value: Node, index: Int) -> ResourceNode {
        ResourceNode(node: value, file: file, path: "\(path)[\(index)]", budget: budget, depth: depth + 1)
    }

    var line: Int? { node.mark?.line }

    /// Whether the node is YAML null, such as `metadata:` with no value at all.
    var isNull: Bool {
        if case .scalar(let scalar) = node {
            return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    /// The member named `key` of a mapping; `nil` when absent or null.
    func child(_ key: String) throws(MeshError) -> ResourceNode? {
        let pairs = try resolvedPairs()
        guard let value = pairs.first(where: { $0.key.string == key })?.value else { return nil }
        let child = descendant(value, key: key)
        return child.isNull ? nil : child
    }

    /// The member named `key`, which must be there.
    func required(_ key: String) throws(MeshError) -> ResourceNode {
        guard let value = try child(key) else {
            let field = path.isEmpty ? key : "\(path).\(key)"
            throw MeshError(
                .missingField,
                "the required field '\(field)' is missing",
                context: .init(file: file, line: line, field: field)
            )
        }
        return value
    }

    /// The scalar text of the node.
    func string() throws(MeshError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(.malformedResource, "'\(path)' must be a single value, not a list or mapping")
        }
        return scalar.string
    }

    func string(_ key: String) throws(MeshError) -> String? {
        try child(key)?.string()
    }

    func requiredString(_ key: String) throws(MeshError) -> String {
        let value = try required(key)
        let text = try value.string()
        guard !text.isEmpty else {
            throw value.error(.missingField, "'\(value.path)' must not be empty")
        }
        return text
    }

    func int(_ key: String) throws(MeshError) -> Int? {
        guard let value = try child(key) else { return nil }
        guard let number = Int(try value.string().trimmingCharacters(in: .whitespaces)) else {
            throw value.error(.malformedResource, "'\(value.path)' must be a whole number")
        }
        return number
    }

    func bool(_ key: String) throws(MeshError) -> Bool? {
        guard let value = try child(key) else { return nil }
        switch try value.string().lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw value.error(.malformedResource, "'\(value.path)' must be true or false")
        }
    }

    func duration(_ key: String) throws(MeshError) -> Duration? {
        try child(key)?.duration()
    }

    /// The node as a Go duration; an "invalid duration" error names the field otherwise.
    func duration() throws(MeshError) -> Duration {
        let text = try string()
        do {
            return try GoDuration.read(text)
        } catch let invalid {
            throw self.error(.malformedResource, "'\(path)' is an \(invalid); write a duration such as 5s, 500ms or 1m30s")
        }
    }

    /// The items of a sequence; a null node is an empty sequence.
    func items() throws(MeshError) -> [ResourceNode] {
        if isNull { return [] }
        guard let sequence = node.sequence else {
            throw error(.malformedResource, "'\(path)' must be a list")
        }
        try budget.charge(sequence.count, at: self)
        return sequence.enumerated().map { descendant($1, index: $0) }
    }

    func items(_ key: String) throws(MeshError) -> [ResourceNode] {
        try child(key)?.items() ?? []
    }

    /// The members of a mapping, in file order; a null node is an empty mapping.
    func members() throws(MeshError) -> [(key: String, value: ResourceNode)] {
        if isNull { return [] }
        let pairs = try resolvedPairs()
        try budget.charge(pairs.count, at: self)
        var result: [(key: String, value: ResourceNode)] = []
        for (key, value) in pairs {
            guard let name = key.string else {
                throw error(.malformedResource, "'\(path)' has a key that is not a string")
            }
            result.append((name, descendant(value, key: name)))
        }
        return result
    }

    func members(_ key: String) throws(MeshError) -> [(key: String, value: ResourceNode)] {
        try child(key)?.members() ?? []
    }

    func stringList(_ key: String) throws(MeshError) -> [String] {
        var strings: [String] = []
        for item in try items(key) {
            strings.append(try item.string())
        }
        return strings
    }

    /// An error located at this node.
    func error(_ code: MeshError.Code, _ message: String) -> MeshError {
        MeshError(code, message, context: .init(file: file, line: line, field: path))
    }
}
