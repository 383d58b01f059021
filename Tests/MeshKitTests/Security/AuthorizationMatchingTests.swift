import MeshKit
import Testing

@Suite("Authorization: Istio matching, evaluation order and Dapr accessControl")
struct AuthorizationMatchingTests {
    static func authorizer(_ yaml: String, namespace: String = "shop", labels: [String: String]? = nil) throws -> Authorizer {
        let resources = try ResourceLoader.parse(yaml: yaml, file: "policies.yaml")
        return Authorizer(resources: resources, workload: AuthorizationWorkload(appID: "cart", namespace: namespace, labels: labels))
    }

    static func policy(_ name: String, action: String = "ALLOW", namespace: String = "shop", _ spec: String) -> String {
        """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          action: \(action)
        \(spec)
        ---

        """
    }

    static func request(
        principal: String? = nil,
        ip: String? = nil,
        method: String = "GET",
        path: String = "/",
        port: Int? = 3500,
        headers: [String: String] = [:]
    ) -> AuthorizationRequest {
        var request = AuthorizationRequest(sourceIP: ip, method: method, path: path, port: port, host: "cart.shop:3500")
        if let principal {
            request.principal = principal
            request.namespace = principal.split(separator: "/").dropFirst(2).first.map(String.init)
        }
        for (name, value) in headers { request.headers[.init(name)!] = value }
        return request
    }

    @Test("prefix, suffix and * patterns; * on principals means any authenticated caller")
    func patterns() throws {
        let authorizer = try Self.authorizer(
            Self.policy(
                "p",
                """
                  rules:
                  - from: [{source: {principals: ["*"]}}]
                    to: [{operation: {paths: ["/v1/*", "*.png"], methods: ["G*"]}}]
                """
            )
        )
        let caller = "cluster.local/ns/shop/sa/web"
        #expect(authorizer.decide(Self.request(principal: caller, path: "/v1/x")).isAllowed)
        #expect(authorizer.decide(Self.request(principal: caller, path: "/img/a.png")).isAllowed)
        #expect(!authorizer.decide(Self.request(principal: caller, path: "/v2/x")).isAllowed)
        #expect(!authorizer.decide(Self.request(principal: caller, method: "POST", path: "/v1/x")).isAllowed)
        #expect(!authorizer.decide(Self.request(path: "/v1/x")).isAllowed, "a plaintext caller is not 'any authenticated'")
    }

    @Test("notPrincipals, notNamespaces, notPaths, notMethods, ports and notPorts, hosts")
    func negations() throws {
        let authorizer = try Self.authorizer(
            Self.policy(
                "deny",
                action: "DENY",
                """
                  rules:
                  - from: [{source: {notNamespaces: ["shop"]}}]
                    to: [{operation: {notPaths: ["/public/*"]}}]
                  - to: [{operation: {notMethods: ["GET", "HEAD"], ports: ["3500"], hosts: ["CART.shop"]}}]
                  - to: [{operation: {notPorts: ["3500", "8080"]}}]
                """
            )
        )
        #expect(!authorizer.decide(Self.request(principal: "td/ns/other/sa/x", path: "/private")).isAllowed)
        #expect(authorizer.decide(Self.request(principal: "td/ns/other/sa/x", path: "/public/a")).isAllowed)
        #expect(authorizer.decide(Self.request(principal: "td/ns/shop/sa/x", path: "/private")).isAllowed)
        #expect(!authorizer.decide(Self.request(path: "/private")).isAllowed, "plaintext has no namespace, so notNamespaces matches it")
        #expect(!authorizer.decide(Self.request(principal: "td/ns/shop/sa/x", method: "POST")).isAllowed)
        #expect(authorizer.decide(Self.request(principal: "td/ns/shop/sa/x", method: "POST", port: 8080)).isAllowed)
        #expect(!authorizer.decide(Self.request(principal: "td/ns/shop/sa/x", port: 9090)).isAllowed)
    }

    @Test("ipBlocks and notIpBlocks with IPv4 and IPv6 CIDR blocks")
    func ipBlocks() throws {
        let authorizer = try Self.authorizer(
            Self.policy(
                "ips",
                """
                  rules:
                  - from: [{source: {ipBlocks: ["10.0.0.0/8", "2001:db8::/32", "192.168.1.7"], notIpBlocks: ["10.1.0.0/16"]}}]
                """
            )
        )
        for (ip, allowed) in [
            ("10.2.3.4", true), ("10.1.2.3", false), ("11.0.0.1", false), ("2001:db8:1::5", true), ("2001:db9::1", false),
            ("192.168.1.7", true), ("192.168.1.8", false), ("::ffff:10.2.3.4", true), ("not an ip", false),
        ] {
            #expect(authorizer.decide(Self.request(ip: ip)).isAllowed == allowed, "\(ip)")
        }
        #expect(!authorizer.decide(Self.request()).isAllowed, "no address matches no block")
    }

    @Test("when conditions: headers (case-insensitive names), principal, namespace, source.ip, destination.port; AND between them")
    func conditions() throws {
        let authorizer = try Self.authorizer(
            Self.policy(
                "when",
                """
                  rules:
                  - when:
                    - key: request.headers[X-Tenant]
                      values: ["acme-*"]
                      notValues: ["acme-blocked"]
                    - key: source.ip
                      values: ["127.0.0.0/8", "::1"]
                    - key: destination.port
                      notValues: ["9999"]
                """
            )
        )
        #expect(authorizer.decide(Self.request(ip: "127.0.0.1", headers: ["x-tenant": "acme-1"])).isAllowed)
        #expect(authorizer.decide(Self.request(ip: "::1", headers: ["x-tenant": "acme-1"])).isAllowed)
        #expect(!authorizer.decide(Self.request(ip: "127.0.0.1", headers: ["x-tenant": "acme-blocked"])).isAllowed)
        #expect(!authorizer.decide(Self.request(ip: "127.0.0.1")).isAllowed, "a missing header matches no value")
        #expect(!authorizer.decide(Self.request(ip: "10.0.0.1", headers: ["x-tenant": "acme-1"])).isAllowed)
        #expect(!authorizer.decide(Self.request(ip: "127.0.0.1", port: 9999, headers: ["x-tenant": "acme-1"])).isAllowed)
    }

    @Test("evaluation order: DENY before ALLOW; AUDIT only marks; no ALLOW policy allows; allow-nothing denies all")
    func order() throws {
        let allowAll = Self.policy("allow-all", "  rules: [{}]")
        let denyAdmin = Self.policy("deny-admin", action: "DENY", "  rules: [{to: [{operation: {paths: [\"/admin*\"]}}]}]")
        let audit = Self.policy("audit", action: "AUDIT", "  rules: [{to: [{operation: {methods: [\"DELETE\"]}}]}]")
        let both = try Self.authorizer(allowAll + denyAdmin + audit)
        #expect(both.decide(Self.request(path: "/admin/x")).outcome == .deniedByPolicy("shop/deny-admin"))
        #expect(both.decide(Self.request(path: "/x")) == AuthorizationDecision(.allow))
        #expect(both.decide(Self.request(method: "DELETE", path: "/x")) == AuthorizationDecision(.allow, audited: true))
        #expect(try Self.authorizer(denyAdmin).decide(Self.request(path: "/x")).isAllowed, "DENY alone allows the rest")
        #expect(try Self.authorizer(Self.policy("deny-none", action: "DENY", "  rules: []")).decide(Self.request()).isAllowed)
        let allowNothing = try Self.authorizer(Self.policy("allow-nothing", ""))
        #expect(allowNothing.decide(Self.request()).outcome == .notAllowed)
        #expect(try Self.authorizer("").decide(Self.request()).isAllowed)
    }

    @Test("scoping: the root namespace applies mesh-wide, other namespaces only to their own; matchLabels against the app's labels")
    func scoping() throws {
        let denyAll = "  rules: [{}]"
        let root = try Self.authorizer(Self.policy("mesh", action: "DENY", namespace: "istio-system", denyAll))
        #expect(!root.decide(Self.request()).isAllowed)
        let other = try Self.authorizer(Self.policy("other", action: "DENY", namespace: "elsewhere", denyAll))
        #expect(other.decide(Self.request()).isAllowed)
        let selected = Self.policy("v2", action: "DENY", "  selector: {matchLabels: {app: cart, version: v2}}\n" + denyAll)
        #expect(try Self.authorizer(selected).decide(Self.request()).isAllowed)
        #expect(!(try Self.authorizer(selected, labels: ["app": "cart", "version": "v2"]).decide(Self.request()).isAllowed))
    }

    @Test("load errors name the file, line and field: CUSTOM, unknown when key, bad CIDR, unknown mode, unknown field")
    func loadErrors() throws {
        let cases: [(String, String, String)] = [
            (Self.policy("c", action: "CUSTOM", "  provider: {name: ext}"), "spec.action", "not supported"),
            (Self.policy("k", "  rules: [{when: [{key: \"request.auth.claims[iss]\", values: [x]}]}]"), "spec.rules[0].when[0].key", "JWT"),
            (
                Self.policy("k2", "  rules: [{when: [{key: source.user, values: [x]}]}]"), "spec.rules[0].when[0].key",
                "not a supported condition key"
            ),
            (
                Self.policy("ip", "  rules: [{from: [{source: {ipBlocks: [\"10.0.0.0/33\"]}}]}]"),
                "spec.rules[0].from[0].source.ipBlocks[0]", "CIDR"
            ),
            (Self.policy("f", "  rules: [{to: [{operation: {path: [\"/x\"]}}]}]"), "spec.rules[0].to[0].operation.path", "not a field"),
            (
                "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {name: d}\nspec:\n  mtls:\n    mode: STRICTEST\n",
                "spec.mtls.mode", "not an mTLS mode"
            ),
        ]
        for (yaml, field, message) in cases {
            let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "policies.yaml") }
            #expect(error.context.file == "policies.yaml")
            #expect(error.context.field == field, "\(error)")
            #expect(error.context.line != nil)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("PeerAuthentication precedence: workload over namespace over mesh, port level first, UNSET inherits")
    func peerPrecedence() throws {
        let yaml = """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: mesh, namespace: istio-system}
            spec: {mtls: {mode: STRICT}}
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: ns, namespace: shop}
            spec: {mtls: {mode: UNSET}}
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: cart, namespace: shop}
            spec:
              selector: {matchLabels: {app: cart}}
              mtls: {mode: PERMISSIVE}
              portLevelMtls:
                9090: {mode: DISABLE}
            """
        let policies = PeerAuthenticationPolicies(resources: try ResourceLoader.parse(yaml: yaml, file: "pa.yaml"))
        func mode(_ app: String?, _ namespace: String, _ port: Int?) -> EffectiveMTLS {
            policies.effectiveMode(for: AuthorizationWorkload(appID: app ?? "none", namespace: namespace, labels: app.map { ["app": $0] } ?? [:]), port: port)
        }
        #expect(mode("cart", "shop", 9090) == EffectiveMTLS(mode: .disable, policy: "shop/cart"))
        #expect(mode("cart", "shop", 3500) == EffectiveMTLS(mode: .permissive, policy: "shop/cart"))
        #expect(mode("web", "shop", 3500) == EffectiveMTLS(mode: .strict, policy: "istio-system/mesh"), "UNSET inherits the mesh's STRICT")
        #expect(mode(nil, "other", nil) == EffectiveMTLS(mode: .strict, policy: "istio-system/mesh"))
        #expect(
            PeerAuthenticationPolicies(resources: ResourceSet()).effectiveMode(for: AuthorizationWorkload(appID: "web"), port: nil)
                == EffectiveMTLS(mode: .permissive, policy: nil)
        )
    }

    @Test("Dapr accessControl: global and app defaults, operation globs (*, **), verbs, trust domain and namespace")
    func daprAccessControl() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata: {name: appconfig}
            spec:
              accessControl:
                defaultAction: deny
                trustDomain: public
                policies:
                - appId: checkout
                  defaultAction: deny
                  trustDomain: public
                  namespace: shop
                  operations:
                  - {name: /orders/*, httpVerb: [GET], action: allow}
                  - {name: /admin/**, httpVerb: ["*"], action: deny}
                  - {name: /items/**, httpVerb: [POST, GET], action: allow}
                  - {name: /op*, httpVerb: [GET], action: allow}
                - appId: web
                  defaultAction: allow
                  trustDomain: public
                  namespace: shop
            """
        let authorizer = try Self.authorizer(yaml)
        func decide(_ spiffeID: String?, _ method: String, _ path: String) -> Bool {
            var request = AuthorizationRequest(method: method, path: path)
            if let spiffeID { request.setPeer(spiffeID: spiffeID) }
            return authorizer.decide(request).isAllowed
        }
        let checkout = "spiffe://public/ns/shop/checkout"
        #expect(decide(checkout, "GET", "/orders/1"))
        #expect(decide(checkout, "GET", "/ORDERS/1"), "HTTP operations compare case-insensitively, as in Dapr")
        #expect(!decide(checkout, "GET", "/orders/1/lines"), "* is one segment")
        #expect(!decide(checkout, "POST", "/orders/1"), "a verb not listed keeps the app's default")
        #expect(decide(checkout, "POST", "/items/a/b/c"))
        #expect(!decide(checkout, "GET", "/admin/x/y"))
        #expect(decide(checkout, "GET", "/op1"))
        #expect(!decide(checkout, "GET", "/other"))
        #expect(decide("spiffe://public/ns/shop/web", "DELETE", "/anything"))
        #expect(!decide("spiffe://other/ns/shop/web", "GET", "/x"), "a foreign trust domain gets the global default")
        #expect(!decide("spiffe://public/ns/prod/web", "GET", "/x"), "another namespace gets the global default")
        #expect(!decide(nil, "GET", "/orders/1"), "without a verified identity, the global default applies")
        #expect(authorizer.decide(AuthorizationRequest(method: "GET", path: "/orders/1")).outcome == .deniedByAccessControl)
    }

    @Test("either Istio or Dapr denying denies the call")
    func both() throws {
        let yaml =
            Self.policy("deny-x", action: "DENY", "  rules: [{to: [{operation: {paths: [\"/x\"]}}]}]")
            + "apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata: {name: c}\nspec:\n  accessControl: {defaultAction: deny}\n"
        let authorizer = try Self.authorizer(yaml)
        #expect(authorizer.decide(Self.request(path: "/x")).outcome == .deniedByPolicy("shop/deny-x"))
        #expect(authorizer.decide(Self.request(path: "/y")).outcome == .deniedByAccessControl)
    }

    @Test("an accessControl policy without trustDomain or namespace is a load error, as in daprd")
    func daprLoadErrors() throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata: {name: c}
            spec:
              accessControl:
                policies:
                - appId: web
                  trustDomain: public
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "config.yaml") }
        #expect(error.context.field == "spec.accessControl.policies[0].namespace")
    }

    @Test("an API token never shows its value")
    func tokenRedacted() throws {
        let token = try #require(APIToken("s3cr3t-value"))
        #expect("\(token)" == "APIToken(redacted)")
        #expect(String(reflecting: token) == "APIToken(redacted)")
        #expect(token.matches("s3cr3t-value"))
        #expect(!token.matches("s3cr3t-valuf") && !token.matches("s3cr3t") && !token.matches(nil))
        #expect(APIToken("") == nil)
    }
}
