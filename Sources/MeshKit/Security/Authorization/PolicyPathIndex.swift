/// Which of a list of compiled policies can match a request, judged by its path alone, so that
/// a decision evaluates those and skips the rest: with a hundred policies on other paths, a
/// request is checked against the few that name its own.
///
/// A policy can match a path only through a rule, and a rule whose every `to.operation` names
/// `paths` matches only those paths. Each such path pattern files its policy:
/// - an exact path under the hash of the path;
/// - a prefix (`/api/products/*`) whose first segment is whole (`/api/`) under the hash of that
///   segment;
/// - a suffix (`*.json`) under the hash of its bytes, in the table of its length.
///
/// A policy with a rule that names no paths, or with a pattern that says little (`*`, `/a*`), is
/// a candidate for every request. Hashes only pick candidates: each candidate is then evaluated
/// in full, so a collision costs time, never a wrong decision.
struct PolicyPathIndex: Sendable {
    private let count: Int
    private let everyPath: [Int]
    private let exact: SortedHashTable
    private let firstSegment: SortedHashTable
    private let suffixes: [SuffixTable]

    private struct SuffixTable: Sendable {
        let length: Int
        let policies: SortedHashTable
    }

    init(_ policies: [CompiledPolicy]) {
        var everyPath: [Int] = []
        var exact: [UInt64: [Int]] = [:]
        var firstSegment: [UInt64: [Int]] = [:]
        var suffixes: [Int: [UInt64: [Int]]] = [:]
        for (index, policy) in policies.enumerated() {
            guard let patterns = Self.pathPatterns(of: policy) else {
                everyPath.append(index)
                continue
            }
            // A policy files itself once per table slot, however many of its patterns land there.
            func file(_ table: inout [UInt64: [Int]], _ key: UInt64) {
                if table[key]?.last != index { table[key, default: []].append(index) }
            }
            var filed = true
            for pattern in patterns where filed {
                switch pattern.kind {
                case .exact:
                    file(&exact, Self.hash(pattern.bytes[...]))
                case .prefix:
                    guard let segment = Self.firstSegment(of: pattern.bytes[...]) else {
                        filed = false
                        break
                    }
                    file(&firstSegment, Self.hash(segment))
                case .suffix where !pattern.bytes.isEmpty:
                    file(&suffixes[pattern.bytes.count, default: [:]], Self.hash(pattern.bytes[...]))
                case .suffix, .any:
                    filed = false
                }
            }
            if !filed { everyPath.append(index) }
        }
        self.count = policies.count
        self.everyPath = everyPath
        self.exact = SortedHashTable(exact)
        self.firstSegment = SortedHashTable(firstSegment)
        self.suffixes = suffixes.sorted { $0.key < $1.key }.map { SuffixTable(length: $0.key, policies: SortedHashTable($0.value)) }
    }

    /// A request path as the indexes look it up: its hashes, computed once for all three of a
    /// decision's indexes (audit, deny, allow), and its bytes for the suffix tables.
    struct Key {
        fileprivate let path: String
        fileprivate let exact: UInt64
        fileprivate let firstSegment: UInt64?

        init(path: String) {
            (exact, firstSegment) = path.withUTF8Bytes { bytes in
                (PolicyPathIndex.hash(bytes[...]), PolicyPathIndex.firstSegment(of: bytes[...]).map(PolicyPathIndex.hash))
            }
            self.path = path
        }
    }

    /// The indices of the policies that may match the path of `key`, in ascending order.
    /// Allocates nothing for up to 256 policies.
    func candidates(_ key: Key) -> PolicyCandidates {
        var marks = PolicyCandidates(count: count)
        guard count > 0 else { return marks }
        marks.insert(everyPath)
        if !exact.isEmpty { marks.insert(exact[key.exact]) }
        if !firstSegment.isEmpty, let segment = key.firstSegment { marks.insert(firstSegment[segment]) }
        if !suffixes.isEmpty {
            key.path.withUTF8Bytes { bytes in
                for table in suffixes {
                    guard table.length <= bytes.count else { break }
                    marks.insert(table.policies[Self.hash(bytes[(bytes.endIndex - table.length)...])])
                }
            }
        }
        return marks
    }

    /// The path patterns a policy can match through, or `nil` when one of its rules matches any
    /// path.
    private static func pathPatterns(of policy: CompiledPolicy) -> [ValuePattern]? {
        var patterns: [ValuePattern] = []
        for rule in policy.rules {
            guard !rule.operations.isEmpty else { return nil }
            for operation in rule.operations {
                guard !operation.paths.isEmpty else { return nil }
                patterns += operation.paths.patterns
            }
        }
        return patterns
    }

    /// The first segment of a path with its slashes (`/api/` of `/api/products/1`); `nil` when
    /// no slash ends it (`/api`), which no prefix pattern with a whole first segment matches.
    private static func firstSegment<Bytes: Collection<UInt8>>(of path: Bytes) -> Bytes.SubSequence? {
        guard path.first == UInt8(ascii: "/"), let slash = path.dropFirst().firstIndex(of: UInt8(ascii: "/")) else { return nil }
        return path[...slash]
    }

    /// FNV-1a over 64-bit words (then the last bytes one at a time): eight times fewer steps
    /// than byte-wise FNV, and the same function builds the tables and looks them up.
    fileprivate static func hash(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01b3
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let raw = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes))
        var offset = 0
        while offset + 8 <= raw.count {
            hash ^= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash &*= prime
            hash ^= hash >> 29
            offset += 8
        }
        while offset < raw.count {
            hash ^= UInt64(raw[offset])
            hash &*= prime
            offset += 1
        }
        return hash
    }

    /// ``hash(_:)`` of a pattern's bytes, as the tables are built.
    private static func hash(_ bytes: some Collection<UInt8>) -> UInt64 {
        Array(bytes).withUnsafeBufferPointer { hash($0[...]) }
    }
}
