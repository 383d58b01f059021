/// Istio's `StringMatch`: how a request's URI, method, header or query parameter is compared.
///
/// Matching follows Envoy: `exact` and `prefix` compare bytes, case-sensitively; `regex` is a
/// full match (RE2 in Envoy; here Swift `Regex`, compiled once when the match is made, whose
/// syntax covers RE2's). A match written as `{}` in a header or query parameter checks that the
/// value is present, as Istio documents for header matches.
public struct StringMatch: Sendable, Hashable, CustomStringConvertible {
    /// The kind of comparison.
    public enum Kind: String, Sendable, Hashable {
        /// The whole value equals ``StringMatch/value``.
        case exact
        /// The value starts with ``StringMatch/value``.
        case prefix
        /// The whole value matches the regular expression ``StringMatch/value``.
        case regex
        /// The value is present, whatever it is.
        case present
    }

    /// The kind of comparison.
    public let kind: Kind
    /// The text compared with, or the regular expression.
    public let value: String
    /// The compiled expression, for ``Kind/regex``.
    private let expression: CompiledRegex?

    private init(kind: Kind, value: String, expression: CompiledRegex? = nil) {
        self.kind = kind
        self.value = value
        self.expression = expression
    }

    /// Matches a value equal to `value`.
    public static func exact(_ value: String) -> StringMatch {
        StringMatch(kind: .exact, value: value)
    }

    /// Matches a value that starts with `prefix`.
    public static func prefix(_ prefix: String) -> StringMatch {
        StringMatch(kind: .prefix, value: prefix)
    }

    /// Matches any value that is present.
    public static let present = StringMatch(kind: .present, value: "")

    /// Matches a value that the regular expression `pattern` matches in full; throws the
    /// compiler's error when `pattern` is not a valid expression.
    public static func regex(_ pattern: String) throws -> StringMatch {
        StringMatch(kind: .regex, value: pattern, expression: CompiledRegex(try Regex(pattern)))
    }

    /// Whether `text` matches.
    public func matches(_ text: String) -> Bool {
        switch kind {
        case .exact: text.utf8.elementsEqual(value.utf8)
        case .prefix: text.utf8.starts(with: value.utf8)
        case .regex: (try? expression?.regex.wholeMatch(in: text)) != nil
        case .present: true
        }
    }

    /// Whether the path `/` + `path` matches, without building that string for an exact or
    /// prefix match: a Dapr method name such as `api/products/1` is the path `/api/products/1`.
    func matches(slashPrefixed path: String) -> Bool {
        let slash = UInt8(ascii: "/")
        switch kind {
        case .exact:
            return value.utf8.first == slash && value.utf8.dropFirst().elementsEqual(path.utf8)
        case .prefix:
            guard let first = value.utf8.first else { return true }
            return first == slash && path.utf8.starts(with: value.utf8.dropFirst())
        case .regex:
            return matches("/" + path)
        case .present:
            return true
        }
    }

    public var description: String {
        kind == .present ? "present" : "\(kind.rawValue): \(value)"
    }

    public static func == (lhs: StringMatch, rhs: StringMatch) -> Bool {
        lhs.kind == rhs.kind && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(value)
    }
}

/// A compiled regular expression. `Regex` holds no shared mutable state once built, and
/// matching only reads it, so it may be shared across tasks.
private struct CompiledRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    init(_ regex: Regex<AnyRegexOutput>) {
        self.regex = regex
    }
}

extension StringMatch {
    /// Reads a `StringMatch` mapping: exactly one of `exact`, `prefix` and `regex`, or none for
    /// a presence match. An invalid regular expression is an error naming the field.
    init(node: ResourceNode) throws(MeshError) {
        var found: [(key: String, value: ResourceNode)] = []
        for member in try node.members() {
            guard ["exact", "prefix", "regex"].contains(member.key) else {
                throw member.value.error(
                    .malformedResource,
                    "'\(member.value.path)' is not a StringMatch field; write one of exact, prefix or regex"
                )
            }
            found.append(member)
        }
        guard found.count <= 1 else {
            throw node.error(.malformedResource, "'\(node.path)' must have only one of exact, prefix or regex")
        }
        guard let (key, valueNode) = found.first else {
            self = .present
            return
        }
        let text = try valueNode.string()
        switch key {
        case "exact": self = .exact(text)
        case "prefix": self = .prefix(text)
        default:
            do {
                self = try .regex(text)
            } catch {
                throw valueNode.error(.malformedResource, "'\(valueNode.path)' is not a valid regular expression: \(error)")
            }
        }
    }
}
