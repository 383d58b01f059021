import Yams

/// YAML merge keys (`<<`), resolved as go-yaml, the YAML library of Dapr, resolves them:
///
/// - the value of `<<` is a mapping, or a sequence of mappings (usually aliases such as `*base`
///   or `[*a, *b]`); anything else is an error, as in go-yaml ("map merge requires map or
///   sequence of maps as the value");
/// - keys written in the mapping itself win over merged ones, wherever they stand;
/// - among merged mappings, the earlier one wins;
/// - merged mappings may merge others in turn.
extension ResourceNode {
    /// The pairs of this mapping node with its merge keys resolved: the mapping's own pairs in
    /// file order, then the merged pairs that add a key. Merged pairs are charged to the budget.
    func resolvedPairs() throws(MeshError) -> [(key: Node, value: Node)] {
        guard let mapping = node.mapping else {
            throw error(.malformedResource, "'\(path)' must be a mapping")
        }
        return try resolvedPairs(of: mapping, depth: 0)
    }

    private func resolvedPairs(of mapping: Node.Mapping, depth: Int) throws(MeshError) -> [(key: Node, value: Node)] {
        guard mapping.contains(where: { Self.isMergeKey($0.key) }) else { return Array(mapping) }
        try budget.checkDepth(depth, at: self)
        var pairs: [(key: Node, value: Node)] = []
        var merged: [Node] = []
        for pair in mapping {
            if Self.isMergeKey(pair.key) {
                merged.append(pair.value)
            } else {
                pairs.append(pair)
            }
        }
        var seen = Set(pairs.map { Self.identity(of: $0.key) })
        for value in merged {
            for source in try mergedMappings(value) {
                let sourcePairs = try resolvedPairs(of: source, depth: depth + 1)
                try budget.charge(1 + sourcePairs.count, at: self)
                for pair in sourcePairs where seen.insert(Self.identity(of: pair.key)).inserted {
                    pairs.append(pair)
                }
            }
        }
        return pairs
    }

    private func mergedMappings(_ value: Node) throws(MeshError) -> [Node.Mapping] {
        if let mapping = value.mapping { return [mapping] }
        if let sequence = value.sequence {
            var mappings: [Node.Mapping] = []
            for item in sequence {
                guard let mapping = item.mapping else { throw mergeError() }
                mappings.append(mapping)
            }
            return mappings
        }
        throw mergeError()
    }

    private func mergeError() -> MeshError {
        let field = path.isEmpty ? "<<" : "\(path).<<"
        return MeshError(
            .malformedResource,
            "'\(field)' must be a mapping or a list of mappings: a merge key merges mappings",
            context: .init(file: file, line: line, field: field)
        )
    }

    /// Whether `key` is a merge key: a plain `<<`, or one tagged `!!merge`.
    static func isMergeKey(_ key: Node) -> Bool {
        guard case .scalar(let scalar) = key, scalar.string == "<<" else { return false }
        return scalar.style == .plain || scalar.tag == Tag(.merge)
    }

    /// What makes two keys the same key: the text of a scalar, or the whole node otherwise.
    private static func identity(of key: Node) -> AnyHashable {
        if case .scalar(let scalar) = key { return scalar.string }
        return key
    }
}
