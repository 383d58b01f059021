/// A small boolean expression language shared by every place MeshKit evaluates a condition:
/// pub/sub routing rules (`event.type == "widget" && event.data.priority > 3`, the subset of
/// CEL that Dapr's routing documentation uses) and circuit-breaker trip conditions
/// (`consecutiveFailures >= 5`).
///
/// Grammar: `||` and `&&` (left-associative, `&&` binds tighter), unary `!`, parentheses, the
/// comparisons `== != > >= < <=`, dotted identifiers, and string (single or double quoted),
/// number, `true`, `false` and `null` literals.
struct Expression: Sendable, CustomStringConvertible {
    /// A value an expression computes with.
    enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
    }

    indirect enum Node: Sendable {
        case literal(Value)
        case variable([String])
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        case compare(Comparison, Node, Node)
    }

    enum Comparison: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", greaterOrEqual = ">=", lessOrEqual = "<="
        case greater = ">", less = "<"
    }

    let root: Node
    let description: String

    /// Parses `text`, throwing ``ExpressionError`` with the position of the first problem.
    init(parsing text: String) throws(ExpressionError) {
        var parser = ExpressionParser(text: text)
        self.root = try parser.parseWhole()
        self.description = text
    }

    /// Every variable path the expression reads, such as `["event", "type"]`.
    var variables: [[String]] {
        var found: [[String]] = []
        func walk(_ node: Node) {
            switch node {
            case .literal: break
            case .variable(let path): found.append(path)
            case .not(let inner): walk(inner)
            case .and(let lhs, let rhs), .or(let lhs, let rhs), .compare(_, let lhs, let rhs):
                walk(lhs)
                walk(rhs)
            }
        }
        walk(root)
        return found
    }

    /// Evaluates the expression; `lookup` resolves variables, and unknown ones are `null`.
    func matches(_ lookup: (_ path: [String]) -> Value?) -> Bool {
        Self.truth(Self.evaluate(root, lookup))
    }

    private static func evaluate(_ node: Node, _ lookup: (_ path: [String]) -> Value?) -> Value {
        switch node {
        case .literal(let value): return value
        case .variable(let path): return lookup(path) ?? .null
        case .not(let inner): return .bool(!truth(evaluate(inner, lookup)))
        case .and(let lhs, let rhs): return .bool(truth(evaluate(lhs, lookup)) && truth(evaluate(rhs, lookup)))
        case .or(let lhs, let rhs): return .bool(truth(evaluate(lhs, lookup)) || truth(evaluate(rhs, lookup)))
        case .compare(let comparison, let lhs, let rhs):
            return .bool(compare(comparison, evaluate(lhs, lookup), evaluate(rhs, lookup)))
        }
    }

    private static func truth(_ value: Value) -> Bool {
        if case .bool(true) = value { return true }
        return false
    }

    private static func compare(_ comparison: Comparison, _ lhs: Value, _ rhs: Value) -> Bool {
        switch comparison {
        case .equal: return lhs == rhs
        case .notEqual: return lhs != rhs
        default: break
        }
        let ordering: Bool?
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): ordering = order(comparison, a, b)
        case (.string(let a), .string(let b)): ordering = order(comparison, a, b)
        default: ordering = nil
        }
        return ordering ?? false
    }

    private static func order<T: Comparable>(_ comparison: Comparison, _ a: T, _ b: T) -> Bool {
        switch comparison {
        case .greater: a > b
        case .greaterOrEqual: a >= b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .equal: a == b
        case .notEqual: a != b
        }
    }
}

/// Why an expression could not be parsed.
struct ExpressionError: Error, Sendable, CustomStringConvertible {
    /// The 0-based character offset of the problem.
    let offset: Int
    let reason: String

    var description: String { "\(reason) at character \(offset + 1)" }
}
