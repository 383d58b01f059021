/// A method name a handler answers: literal segments, `{name}` segments that capture one
/// segment, and a final `*` that matches the rest.
///
/// `products/{id}` matches `products/42` with `id = 42`; `health/*` matches `health/live/db`.
struct MethodPattern: Sendable, Hashable, CustomStringConvertible {
    private enum Segment: Sendable, Hashable {
        case literal(String)
        case capture(String)
        case rest
    }

    private let segments: [Segment]
    let description: String

    init(_ pattern: String) {
        self.description = pattern
        let parts = Self.split(pattern)
        self.segments = parts.enumerated().map { index, part in
            if part == "*", index == parts.count - 1 { return .rest }
            if part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 { return .capture(String(part.dropFirst().dropLast())) }
            return .literal(part)
        }
    }

    /// Whether the pattern has no captures or wildcards.
    var isLiteral: Bool {
        segments.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// The captured parameters when `method` matches, `nil` otherwise.
    func match(_ method: String) -> [String: String]? {
        let parts = Self.split(method)
        var captures: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .rest:
                return captures
            case .literal(let text):
                guard index < parts.count, parts[index] == text else { return nil }
            case .capture(let name):
                guard index < parts.count else { return nil }
                captures[name] = parts[index]
            }
        }
        return parts.count == segments.count ? captures : nil
    }

    static func split(_ method: String) -> [String] {
        method.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
