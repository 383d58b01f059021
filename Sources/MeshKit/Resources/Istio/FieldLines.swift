/// The lines some fields of a resource were read from, by dotted field path, so that checks
/// made after loading (such as ``ResourceSet/validate()``) still name the line. A field not
/// recorded takes the line of its nearest recorded parent.
struct FieldLines: Sendable, Hashable {
    private var lines: [String: Int] = [:]

    /// Records the line of `node`, if it has one.
    mutating func record(_ node: ResourceNode?) {
        if let node, let line = node.line { lines[node.path] = line }
    }

    /// The line of `field`, or of its nearest recorded parent.
    func line(of field: String) -> Int? {
        var path = Substring(field)
        while !path.isEmpty {
            if let line = lines[String(path)] { return line }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = path[..<cut]
        }
        return nil
    }
}

extension ResourceHeader {
    /// An error about `field` of this resource, with its file and the recorded line.
    func error(_ message: String, field: String, lines: FieldLines) -> MeshError {
        MeshError(
            .malformedResource,
            message,
            context: .init(file: source?.file, line: lines.line(of: field) ?? source?.line, field: field)
        )
    }
}
