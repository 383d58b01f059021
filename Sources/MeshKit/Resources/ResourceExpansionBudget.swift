/// How many nodes reading one resource file may visit, so that YAML aliases cannot expand a
/// small file into an unbounded tree (the "billion laughs" attack).
///
/// Yams shares an aliased node rather than copying it, so parsing stays cheap; the expansion
/// happens when MeshKit walks the tree into JSON or models. Every list item, mapping member and
/// merged pair that is walked is charged here. The allowance is 400,000 nodes (where go-yaml
/// starts refusing "excessive aliasing") plus four per byte of the file, which a file without
/// aliases never reaches, however large.
final class ResourceExpansionBudget {
    /// Nodes every file may visit, whatever its size.
    static let baseAllowance = 400_000
    /// Nodes allowed per byte of the file.
    static let allowancePerByte = 4
    /// How deep a walk may go, counting nesting reached through aliases and merge keys.
    static let maxDepth = 256

    private var remaining: Int

    /// A budget for a file of `byteCount` bytes.
    init(byteCount: Int) {
        remaining = Self.baseAllowance + Self.allowancePerByte * max(0, byteCount)
    }

    /// Charges `count` visited nodes; throws the error of `node` once the allowance is spent.
    func charge(_ count: Int, at node: ResourceNode) throws(MeshError) {
        remaining -= count
        guard remaining >= 0 else {
            throw node.error(
                .malformedResource,
                "'\(node.path)' expands through aliases into more nodes than a file of this size may hold (excessive aliasing)"
            )
        }
    }

    /// Throws the error of `node` when `depth` is past ``maxDepth``.
    func checkDepth(_ depth: Int, at node: ResourceNode) throws(MeshError) {
        guard depth <= Self.maxDepth else {
            throw node.error(.malformedResource, "'\(node.path)' nests deeper than \(Self.maxDepth) levels")
        }
    }
}
