internal import CYaml

/// Refuses, before Yams builds a file's tree, a file whose aliased mapping keys stand for more
/// nodes than ``ResourceExpansionBudget`` allows.
///
/// Yams checks a mapping for duplicate keys by hashing them, and the hash of an aliased key walks
/// everything the alias stands for: a key that is an alias of a "billion laughs" takes minutes
/// before MeshKit sees the tree. This scan reads libyaml's events (the parser under Yams) once,
/// counting for every anchor how many nodes it stands for and for every alias inside a key how
/// many it adds, in time and memory proportional to the file. A file without anchors is not scanned; syntax
/// errors are left to Yams, which reports them with their line.
enum YAMLAliasScan {
    /// Throws ``MeshError/Code/malformedResource`` naming the file and the line of the alias that
    /// goes past the allowance.
    static func check(_ yaml: String, file: String) throws(MeshError) {
        guard yaml.utf8.contains(UInt8(ascii: "&")) else { return }
        let allowance = ResourceExpansionBudget.baseAllowance + ResourceExpansionBudget.allowancePerByte * yaml.utf8.count
        let bytes = Array(yaml.utf8)
        let excessiveLine: Int? = bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var counter = ExpansionCounter(allowance: allowance)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    counter.scalar(anchor: Self.name(event.data.scalar.anchor))
                case YAML_SEQUENCE_START_EVENT:
                    counter.open(anchor: Self.name(event.data.sequence_start.anchor), isMapping: false)
                case YAML_MAPPING_START_EVENT:
                    counter.open(anchor: Self.name(event.data.mapping_start.anchor), isMapping: true)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    counter.close()
                case YAML_ALIAS_EVENT:
                    if !counter.alias(Self.name(event.data.alias.anchor)) { return Int(event.start_mark.line) + 1 }
                default:
                    break
                }
            }
        }
        if let line = excessiveLine {
            throw MeshError(
                .malformedResource,
                "an aliased mapping key expands into more nodes than a file of this size may hold (excessive aliasing)",
                context: .init(file: file, line: line)
            )
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }
}

/// The node counts of ``YAMLAliasScan``: of each open collection and each anchor, and of what
/// aliases add to mapping keys, which are the only nodes Yams hashes. Aliases among values are
/// left to ``ResourceExpansionBudget``, which charges them only where MeshKit reads them, so a
/// bomb in a section MeshKit ignores loads, as it does in Dapr. Counts saturate just past the
/// allowance, so they cannot overflow.
private struct ExpansionCounter {
    private struct Frame {
        var count = 1
        let anchor: String?
        let isMapping: Bool
        /// Whether the collection is a mapping key or lies inside one.
        let isInsideKey: Bool
        /// How many child nodes have been read; in a mapping, even positions are keys.
        var children = 0
    }

    private let allowance: Int
    private var anchors: [String: Int] = [:]
    private var open: [Frame] = []
    private var expandedInKeys = 0

    init(allowance: Int) {
        self.allowance = allowance
    }

    private var cap: Int { allowance + 1 }

    /// Whether the next node is a mapping key or lies inside one.
    private var nextIsInKey: Bool {
        guard let parent = open.last else { return false }
        return parent.isInsideKey || (parent.isMapping && parent.children % 2 == 0)
    }

    mutating func scalar(anchor: String?) {
        if let anchor { anchors[anchor] = 1 }
        add(1)
    }

    mutating func open(anchor: String?, isMapping: Bool) {
        open.append(Frame(anchor: anchor, isMapping: isMapping, isInsideKey: nextIsInKey))
    }

    mutating func close() {
        guard let frame = open.popLast() else { return }
        if let anchor = frame.anchor { anchors[anchor] = frame.count }
        add(frame.count)
    }

    /// Counts what the alias stands for; `false` once what aliases add to keys is past the allowance.
    mutating func alias(_ anchor: String?) -> Bool {
        let count = anchor.flatMap { anchors[$0] } ?? 1
        if nextIsInKey { expandedInKeys = min(expandedInKeys + count, cap) }
        add(count)
        return expandedInKeys <= allowance
    }

    private mutating func add(_ count: Int) {
        guard !open.isEmpty else { return }
        open[open.count - 1].count = min(open[open.count - 1].count + count, cap)
        open[open.count - 1].children += 1
    }
}
