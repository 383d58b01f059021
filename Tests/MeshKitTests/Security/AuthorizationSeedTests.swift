import MeshKit
import Testing

@Suite("Authorization: the seed's AuthorizationPolicy and PeerAuthentication")
struct AuthorizationSeedTests {
    static let orderService = "cluster.local/ns/my-app/sa/order-service"

    static func seedAuthorizer(appID: String = "product-service", namespace: String? = "my-app") throws -> Authorizer {
        let resources = try ResourceLoader.load(file: IstioFixtures.path("authorizationpolicy.yaml"))
        return Authorizer(resources: resources, workload: AuthorizationWorkload(appID: appID, namespace: namespace))
    }

    @Test("authorizationpolicy.yaml loads unchanged: one ALLOW policy, two rules, selector app: product-service")
    func loads() throws {
        let resources = try ResourceLoader.load(file: IstioFixtures.path("authorizationpolicy.yaml"))
        let policy = try #require(resources.authorizationPolicies.first)
        #expect(policy.header.name == "product-service-policy")
        #expect(policy.header.namespace == "my-app")
        #expect(policy.action == .allow)
        #expect(policy.selector == ["app": "product-service"])
        #expect(policy.rules.count == 2)
        #expect(policy.rules[0].from == [AuthorizationSource(principals: [Self.orderService])])
        #expect(policy.rules[0].to == [AuthorizationOperation(methods: ["GET", "POST"], paths: ["/api/products/*"])])
        #expect(policy.rules[1].from.isEmpty)
        #expect(policy.rules[1].to == [AuthorizationOperation(methods: ["GET"], paths: ["/health/*"])])
    }

    @Test(
        "only order-service may GET and POST /api/products/*, anyone may GET /health/*, everything else is denied",
        arguments: [
            (orderService, "GET", "/api/products/1", true),
            (orderService, "POST", "/api/products/1", true),
            (orderService, "GET", "/api/products/a/b", true),
            (orderService, "DELETE", "/api/products/1", false),
            (orderService, "PUT", "/api/products/1", false),
            (orderService, "GET", "/api/orders/1", false),
            (orderService, "GET", "/api/products", false),
            (orderService, "GET", "/API/products/1", false),
            ("cluster.local/ns/my-app/sa/payment-service", "GET", "/api/products/1", false),
            ("cluster.local/ns/other/sa/order-service", "GET", "/api/products/1", false),
            (nil, "GET", "/api/products/1", false),
            (nil, "GET", "/health/live", true),
            ("cluster.local/ns/my-app/sa/payment-service", "GET", "/health/ready", true),
            (nil, "POST", "/health/live", false),
            (nil, "GET", "/admin", false),
            (orderService, "GET", "/admin", false),
        ] as [(String?, String, String, Bool)]
    )
    func table(principal: String?, method: String, path: String, allowed: Bool) throws {
        let authorizer = try Self.seedAuthorizer()
        let decision = authorizer.decide(AuthorizationRequest(principal: principal, method: method, path: path))
        #expect(decision.isAllowed == allowed)
        if !allowed { #expect(decision.outcome == .notAllowed) }
    }

    @Test("normalization attacks do not reach /api/products/* or leave it: the normalized path is what is matched")
    func normalizationAttacks() throws {
        let authorizer = try Self.seedAuthorizer()
        for (raw, allowed) in [
            ("/api/products/../admin", false), ("/api/products/%2e%2e/admin", false), ("/api/products/%2E%2E/%2e%2e/admin", false),
            ("/health/../api/products/1", true), ("//api//products//1", true), ("/api/products/./1", true),
            ("/api\\products\\1", true), ("/%61pi/products/1", true), ("/API/products/1", false),
            ("/api/products/1?x=../../admin", true),
        ] {
            let path = try #require(AuthorizationPath.normalize(raw))
            let decision = authorizer.decide(AuthorizationRequest(principal: Self.orderService, method: "GET", path: path))
            #expect(decision.isAllowed == allowed, "\(raw) → \(path)")
        }
        #expect(AuthorizationPath.normalize("/api/%00/x") == nil)
        #expect(AuthorizationPath.normalize("/a/%2fb") == "/a/%2fb")
        #expect(AuthorizationPath.normalize("/../../x") == "/x")
        #expect(AuthorizationPath.normalize("a/b/") == "/a/b/")
        #expect(AuthorizationPath.normalize("/a/b/..") == "/a/")
    }

    @Test("the policy selects only product-service in my-app; other apps and namespaces are allowed")
    func selector() throws {
        #expect(try Self.seedAuthorizer(appID: "order-service").decide(AuthorizationRequest(method: "DELETE", path: "/x")).isAllowed)
        #expect(try Self.seedAuthorizer(namespace: "other").decide(AuthorizationRequest(method: "DELETE", path: "/x")).isAllowed)
        #expect(try Self.seedAuthorizer(namespace: nil).decide(AuthorizationRequest(method: "DELETE", path: "/x")).isAllowed)
    }

    @Test("peerauthentication.yaml: STRICT for every workload of my-app, PERMISSIVE elsewhere")
    func peerAuthentication() throws {
        let resources = try ResourceLoader.load(file: IstioFixtures.path("peerauthentication.yaml"))
        let policy = try #require(resources.peerAuthentications.first)
        #expect(policy.header.name == "default")
        #expect(policy.selector == nil)
        #expect(policy.mode == .strict)
        let policies = PeerAuthenticationPolicies(resources: resources)
        #expect(policies.effectiveMode(for: AuthorizationWorkload(appID: "product-service", namespace: "my-app"), port: 3500).mode == .strict)
        #expect(policies.effectiveMode(for: AuthorizationWorkload(appID: "product-service", namespace: "other"), port: nil).mode == .permissive)
    }
}
