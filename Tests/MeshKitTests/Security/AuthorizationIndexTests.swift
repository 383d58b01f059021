import MeshKit
import Testing

/// The authorizer evaluates only the policies whose paths can match a request. Whatever the
/// patterns, it must decide exactly as evaluating every policy in order would: checked here
/// against one authorizer per policy, over patterns of every kind and paths that sit on their
/// edges.
@Suite("Authorization: evaluating only the policies that name the request's path changes no decision")
struct AuthorizationIndexTests {
    static let patterns = [
        "/a/b", "/api", "/api/products/*", "/api/*", "/*", "/ap*", "*.json", "*/x", "*", "*s/1", "/api/products/1",
        "/health/*", "x*", "/api/products/",
    ]
    static let paths = [
        "/", "/a/b", "/a/b/", "/api", "/api/", "/api/products", "/api/products/", "/api/products/1", "/api/x", "/apix",
        "/x.json", "/json", "/v/x", "/x", "/health/live", "/healthz", "/s/1",
    ]

    /// A DENY policy per pattern (some with a second rule or operation), in order, each named
    /// after its position. `unindexed` adds a rule that names no path and matches no request
    /// (only a caller without a principal comes): the policy is then evaluated for every path,
    /// which makes it the oracle.
    static func policies(unindexed: Bool = false) -> [String] {
        patterns.enumerated().map { index, pattern in
            var second = index % 3 == 0 ? "\n  - to: [{operation: {paths: [\"/other/\(index)\"]}}]" : ""
            if unindexed { second += "\n  - from: [{source: {principals: [\"nobody\"]}}]" }
            let methods = index % 4 == 1 ? ", methods: [GET]" : ""
            return AuthorizationMatchingTests.policy(
                "p\(index)",
                action: "DENY",
                "  rules:\n  - to: [{operation: {paths: [\"\(pattern)\"]\(methods)}}]\(second)"
            )
        }
    }

    @Test("the first DENY policy to match is the one evaluating all of them finds, for every path and every first policy")
    func sameAsEvaluatingAll() throws {
        let policies = Self.policies()
        let single = try Self.policies(unindexed: true).map { try AuthorizationMatchingTests.authorizer($0) }
        // Starting the list at each policy in turn lets every pattern be the first to match,
        // rather than `/*` hiding the ones after it.
        for start in policies.indices {
            let all = try AuthorizationMatchingTests.authorizer(policies[start...].joined())
            for path in Self.paths {
                for method in ["GET", "POST"] {
                    let request = AuthorizationMatchingTests.request(method: method, path: path)
                    let expected = single[start...].lazy.map { $0.decide(request) }.first { !$0.isAllowed }
                    #expect(all.decide(request) == expected ?? AuthorizationDecision(.allow), "p\(start)…: \(method) \(path)")
                }
            }
        }
    }

    @Test("an ALLOW policy on other paths does not make a request on its own path match, and one on its path does")
    func allowPolicies() throws {
        let yaml =
            AuthorizationMatchingTests.policy("products", "  rules:\n  - to: [{operation: {paths: [\"/api/products/*\"]}}]")
            + AuthorizationMatchingTests.policy("json", "  rules:\n  - to: [{operation: {paths: [\"*.json\"]}}]")
            + AuthorizationMatchingTests.policy("health", "  rules:\n  - to: [{operation: {paths: [\"/health\"]}}]")
        let authorizer = try AuthorizationMatchingTests.authorizer(yaml)
        for (path, allowed) in [
            ("/api/products/1", true), ("/api/x", false), ("/a/b.json", true), ("/health", true), ("/health/", false), ("/", false),
        ] {
            #expect(authorizer.decide(AuthorizationMatchingTests.request(path: path)).isAllowed == allowed, "\(path)")
        }
    }
}
