/// One value of an Istio authorization field, compiled once: exact, prefix `abc*`, suffix
/// `*abc`, or `*` alone, compared byte by byte on the UTF-8 of the request's value without
/// building strings.
struct ValuePattern: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `*`: any value that is present (for principals, any authenticated caller).
        case any
        case exact
        case prefix
        case suffix
    }

    let kind: Kind
    let bytes: [UInt8]
    /// Whether ASCII letters compare case-insensitively (hosts).
    let ignoresCase: Bool

    init(_ text: String, ignoresCase: Bool = false) {
        let folded = ignoresCase ? text.lowercased() : text
        if folded == "*" {
            kind = .any
            bytes = []
        } else if folded.hasSuffix("*") {
            kind = .prefix
            bytes = Array(folded.utf8.dropLast())
        } else if folded.hasPrefix("*") {
            kind = .suffix
            bytes = Array(folded.utf8.dropFirst())
        } else {
            kind = .exact
            bytes = Array(folded.utf8)
        }
        self.ignoresCase = ignoresCase
    }

    /// Whether `value` matches.
    func matches(_ value: some BidirectionalCollection<UInt8>) -> Bool {
        switch kind {
        case .any: return true
        case .exact: return value.count == bytes.count && equal(value, bytes)
        case .prefix: return value.count >= bytes.count && equal(value.prefix(bytes.count), bytes)
        case .suffix: return value.count >= bytes.count && equal(value.suffix(bytes.count), bytes)
        }
    }

    private func equal(_ value: some Sequence<UInt8>, _ pattern: [UInt8]) -> Bool {
        guard ignoresCase else { return value.elementsEqual(pattern) }
        return value.elementsEqual(pattern) { Self.lower($0) == $1 }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

/// The values of one field (`principals`, `paths`, …): it matches when any value does.
struct ValuePatterns: Sendable, Hashable {
    let patterns: [ValuePattern]

    init(_ values: [String], ignoresCase: Bool = false) {
        patterns = values.map { ValuePattern($0, ignoresCase: ignoresCase) }
    }

    var isEmpty: Bool { patterns.isEmpty }

    /// Whether `value` is present and any pattern matches it.
    func matches(_ value: String?) -> Bool {
        guard let value else { return false }
        // Compared as a buffer, without UTF-8 view indexing.
        return value.withUTF8Bytes { matches($0) }
    }

    func matches(_ value: some BidirectionalCollection<UInt8>) -> Bool {
        for index in patterns.indices where patterns[index].matches(value) { return true }
        return false
    }
}
