import MeshKit
import Testing

/// Expressions from resource files and from code are bounded in nesting and length, so no text
/// can exhaust the stack; past a bound the error is the same typed error as for a syntax error.
@Suite("Routing and trip expressions are bounded in depth and length")
struct ExpressionBoundsTests {
    private static func nested(_ depth: Int, _ inner: String) -> String {
        String(repeating: "(", count: depth) + inner + String(repeating: ")", count: depth)
    }

    @Test("a trip with 100,000 nested parentheses in a file is refused naming the file and field")
    func deepTripInFile() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: deep
            spec:
              policies:
                circuitBreakers:
                  cb:
                    trip: "\(Self.nested(100_000, "consecutiveFailures > 5"))"
              targets: {}
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "deep.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.context.file == "deep.yaml")
        #expect(error.context.field == "spec.policies.circuitBreakers.cb.trip")
        #expect(error.context.line == 9)
    }

    @Test("the public initialisers throw the same error past the bounds")
    func publicInitialisers() {
        let hugeMatch = Self.nested(30_000, "event.type == 'a'")
        let huge = #expect(throws: MeshError.self) { try RoutingRule(match: hugeMatch, route: "/a") }
        #expect(huge?.code == .invalidConfiguration)

        let deepMatch = Self.nested(65, "event.type == 'a'")
        let match = #expect(throws: MeshError.self) { try RoutingRule(match: deepMatch, route: "/a") }
        #expect(match?.code == .invalidConfiguration)
        #expect(match?.description.contains("nests deeper than 64 levels") == true)

        let negations = String(repeating: "!", count: 2_000) + "consecutiveFailures > 5"
        let trip = #expect(throws: MeshError.self) { try CircuitBreakerPolicy(trip: negations) }
        #expect(trip?.description.contains("nests deeper than 64 levels") == true)

        let chain = Array(repeating: "event.type == 'a'", count: 20_000).joined(separator: " || ")
        let long = #expect(throws: MeshError.self) { try RoutingRule(match: chain, route: "/a") }
        #expect(long?.description.contains("longer than 4096 characters") == true)
    }

    @Test("expressions within the bounds still work")
    func withinBounds() throws {
        #expect(throws: Never.self) { try RoutingRule(match: Self.nested(64, "event.type == 'a'"), route: "/a") }
        let chain = Array(repeating: "consecutiveFailures > 5", count: 150).joined(separator: " || ")
        #expect(throws: Never.self) { try CircuitBreakerPolicy(trip: chain) }
    }
}
