/// A recursive-descent parser for ``Expression``, bounded so that no text can exhaust the stack:
/// an expression is at most ``maxLength`` characters and nests parentheses and `!` at most
/// ``maxDepth`` deep (cel-go, which Dapr uses for routing rules, bounds both too).
struct ExpressionParser {
    /// The longest expression accepted, in characters.
    static let maxLength = 4096
    /// The deepest nesting of parentheses and `!` accepted.
    static let maxDepth = 64

    private let characters: [Character]
    private var position = 0
    private var depth = 0

    init(text: String) {
        self.characters = Array(text.prefix(Self.maxLength + 1))
    }

    mutating func parseWhole() throws(ExpressionError) -> Expression.Node {
        guard characters.count <= Self.maxLength else {
            throw ExpressionError(offset: Self.maxLength, reason: "the expression is longer than \(Self.maxLength) characters")
        }
        skipSpace()
        guard position < characters.count else { throw fail("empty expression") }
        let node = try parseOr()
        skipSpace()
        guard position == characters.count else { throw fail("unexpected '\(characters[position])'") }
        return node
    }

    private mutating func parseOr() throws(ExpressionError) -> Expression.Node {
        var node = try parseAnd()
        while consume("||") {
            node = .or(node, try parseAnd())
        }
        return node
    }

    private mutating func parseAnd() throws(ExpressionError) -> Expression.Node {
        var node = try parseComparison()
        while consume("&&") {
            node = .and(node, try parseComparison())
        }
        return node
    }

    private mutating func parseComparison() throws(ExpressionError) -> Expression.Node {
        let lhs = try parseUnary()
        for comparison in Expression.Comparison.allCases where consume(comparison.rawValue) {
            return .compare(comparison, lhs, try parseUnary())
        }
        return lhs
    }

    private mutating func parseUnary() throws(ExpressionError) -> Expression.Node {
        skipSpace()
        if peek("!") && !peek("!=") {
            try enter()
            defer { depth -= 1 }
            position += 1
            return .not(try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionError) -> Expression.Node {
        skipSpace()
        guard position < characters.count else { throw fail("expected a value but the expression ended") }
        let character = characters[position]
        if character == "(" {
            try enter()
            defer { depth -= 1 }
            position += 1
            let inner = try parseOr()
            guard consume(")") else { throw fail("expected ')'") }
            return inner
        }
        if character == "\"" || character == "'" {
            return .literal(.string(try parseString(quote: character)))
        }
        if character.isNumber || (character == "-" && nextIsDigit) {
            return .literal(.number(try parseNumber()))
        }
        if character.isLetter || character == "_" {
            let path = try parsePath()
            switch path {
            case ["true"]: return .literal(.bool(true))
            case ["false"]: return .literal(.bool(false))
            case ["null"]: return .literal(.null)
            default: return .variable(path)
            }
        }
        throw fail("unexpected '\(character)'")
    }

    /// Enters one more level of nesting; throws past ``maxDepth``.
    private mutating func enter() throws(ExpressionError) {
        guard depth < Self.maxDepth else { throw fail("the expression nests deeper than \(Self.maxDepth) levels") }
        depth += 1
    }

    private var nextIsDigit: Bool {
        position + 1 < characters.count && characters[position + 1].isNumber
    }

    private mutating func parseString(quote: Character) throws(ExpressionError) -> String {
        let start = position
        position += 1
        var text = ""
        while position < characters.count, characters[position] != quote {
            if characters[position] == "\\", position + 1 < characters.count {
                position += 1
            }
            text.append(characters[position])
            position += 1
        }
        guard position < characters.count else {
            throw ExpressionError(offset: start, reason: "unterminated string")
        }
        position += 1
        return text
    }

    private mutating func parseNumber() throws(ExpressionError) -> Double {
        let start = position
        position += 1
        while position < characters.count, characters[position].isNumber || characters[position] == "." {
            position += 1
        }
        guard let value = Double(String(characters[start..<position])) else {
            throw ExpressionError(offset: start, reason: "malformed number")
        }
        return value
    }

    private mutating func parsePath() throws(ExpressionError) -> [String] {
        var path: [String] = []
        repeat {
            let start = position
            while position < characters.count,
                characters[position].isLetter || characters[position].isNumber || characters[position] == "_"
                    || characters[position] == "-"
            {
                position += 1
            }
            guard position > start else { throw fail("expected a name after '.'") }
            path.append(String(characters[start..<position]))
        } while consumeImmediate(".")
        return path
    }

    private mutating func skipSpace() {
        while position < characters.count, characters[position].isWhitespace {
            position += 1
        }
    }

    private func peek(_ token: String) -> Bool {
        var index = position
        for character in token {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
        }
        return true
    }

    private mutating func consume(_ token: String) -> Bool {
        skipSpace()
        return consumeImmediate(token)
    }

    private mutating func consumeImmediate(_ token: String) -> Bool {
        guard peek(token) else { return false }
        position += token.count
        return true
    }

    private func fail(_ reason: String) -> ExpressionError {
        ExpressionError(offset: position, reason: reason)
    }
}
