import Testing

@testable import MeshKit

@Suite("The condition language of routing rules and trip expressions")
struct ExpressionTests {
    private func evaluate(_ text: String, _ variables: [String: Expression.Value] = [:]) throws -> Bool {
        try Expression(parsing: text).matches { variables[$0.joined(separator: ".")] }
    }

    @Test("comparisons, && binding tighter than ||, negation and parentheses")
    func semantics() throws {
        #expect(try evaluate("a >= 5", ["a": .number(5)]))
        #expect(try !evaluate("a > 5", ["a": .number(5)]))
        #expect(try evaluate("a < 2 || b == 'x' && c", ["a": .number(9), "b": .string("x"), "c": .bool(true)]))
        #expect(try !evaluate("(a < 2 || b == 'x') && c", ["a": .number(9), "b": .string("x"), "c": .bool(false)]))
        #expect(try evaluate("!(a == 1) && a != 2", ["a": .number(3)]))
        #expect(try evaluate(#"event.type == "widget""#, ["event.type": .string("widget")]))
        #expect(try !evaluate("missing > 0"))
        #expect(try evaluate("missing == null"))
        #expect(try !evaluate("'b' < 1", [:]), "mixed types never order")
    }

    @Test(
        "malformed expressions fail with the position of the problem",
        arguments: [
            ("", 0), ("a >=", 4), ("a == 'open", 5), ("(a", 2), ("a b", 2), ("a..b", 2),
        ]
    )
    func errors(text: String, offset: Int) {
        #expect(throws: ExpressionError.self) { try Expression(parsing: text) }
        do {
            _ = try Expression(parsing: text)
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
        }
    }
}
