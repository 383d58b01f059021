import Foundation
import Hummingbird
import MeshKit
import MeshKitHummingbird
import MeshKitTesting
import NIOCore
import Synchronization
import Testing

@Suite(
    "MeshKit on a Hummingbird server authorizes as MeshHTTPServer does: the seed's AuthorizationPolicy, the caller's address, API tokens"
)
struct MeshKitMiddlewareAuthorizationTests {
    /// The seed's policy, in the main package's fixtures: only
    /// `cluster.local/ns/my-app/sa/order-service` may GET and POST `/api/products/*`, anyone may
    /// GET `/health/*`, the rest is denied.
    static let seedPolicy: String = {
        // Tests/MeshKitHummingbirdTests/<file> in Integrations/MeshKitHummingbird, in the repository.
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Tests/Fixtures/seed-istio/authorizationpolicy.yaml").path
    }()

    /// A header only this file's `peerIdentity` closure reads, standing in for the certificate
    /// an app's own TLS layer would verify. MeshKit never takes an identity from a header.
    static let testIdentityHeader = "x-test-verified-peer"

    static let orderService = PeerIdentity(
        spiffeID: try! SPIFFEID(trustDomain: "cluster.local", namespace: "my-app", serviceAccount: "order-service")
    )

    /// How many times each route or handler ran.
    final class Calls: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func record(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
        func count(_ name: String) -> Int { counts.withLock { $0[name, default: 0] } }
    }

    /// `product-service` in namespace `my-app` under `resources`, its invocation handler
    /// counting its calls.
    static func productService(resources: ResourceSet, calls: Calls) async throws -> Mesh {
        var configuration = MeshConfiguration.testing(resources: resources)
        configuration.namespace = "my-app"
        let mesh = try await Mesh(appID: "product-service", configuration: configuration)
        mesh.handleInvocation("api/products/{id}") { _ in
            calls.record("invocation")
            return .text("product")
        }
        return mesh
    }

    /// The app's own routes, each counting its calls, behind `middleware`.
    static func routes<Context: RequestContext>(_ middleware: MeshKitMiddleware<Context>, calls: Calls) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: middleware)
        router.get("/health/{probe}") { _, _ in
            calls.record("health")
            return "healthy"
        }
        for method in [HTTPRequest.Method.get, .post, .delete] {
            router.on("/api/products/{id}", method: method) { _, _ in
                calls.record("\(method) products")
                return "product"
            }
        }
        router.get("/admin/**") { _, _ in
            calls.record("admin")
            return "admin"
        }
        return router
    }

    /// The identity the test header claims: order-service's, or none.
    static let testPeerIdentity: @Sendable (Request, BasicRequestContext) -> PeerIdentity? = { request, _ in
        request.headers.contains { $0.name.canonicalName == testIdentityHeader && $0.value == "order-service" } ? orderService : nil
    }

    @Test(
        "a plaintext caller: GET /health/live runs, /api/products/1 is denied 403 'RBAC: access denied' as an app route and as an invocation, and neither runs"
    )
    func plaintextCaller() async throws {
        let calls = Calls()
        let mesh = try await Self.productService(resources: try ResourceLoader.load(file: Self.seedPolicy), calls: calls)
        let router = Self.routes(MeshKitMiddleware<BasicRequestContext>(mesh: mesh), calls: calls)
        try await withHummingbird(mesh: mesh, router: router) { port in
            let base = "http://127.0.0.1:\(port)"
            let health = try await curl("\(base)/health/live")
            #expect(health.status == 200)
            #expect(health.body == "healthy")
            let route = try await curl("\(base)/api/products/1")
            #expect(route.status == 403)
            #expect(route.body == "RBAC: access denied")
            #expect(calls.count("GET products") == 0, "a denied route never runs")
            let invocation = try await curl("\(base)/v1.0/invoke/product-service/method/api/products/1")
            #expect(invocation.status == 403)
            #expect(invocation.body == "RBAC: access denied")
            let claimed = try await curl(
                "\(base)/v1.0/invoke/product-service/method/api/products/1",
                headers: [Self.testIdentityHeader: "order-service", "dapr-caller-app-id": "order-service"]
            )
            #expect(claimed.status == 403, "without a peerIdentity closure, headers are no identity")
            #expect(calls.count("invocation") == 0, "a denied invocation never runs")
        }
    }

    @Test(
        "with the peerIdentity closure, order-service may GET and POST /api/products/1 but not DELETE it; an unidentified caller still may not"
    )
    func verifiedPeer() async throws {
        let calls = Calls()
        let mesh = try await Self.productService(resources: try ResourceLoader.load(file: Self.seedPolicy), calls: calls)
        let middleware = MeshKitMiddleware<BasicRequestContext>(mesh: mesh, peerIdentity: Self.testPeerIdentity)
        let router = Self.routes(middleware, calls: calls)
        try await withHummingbird(mesh: mesh, router: router) { port in
            let url = "http://127.0.0.1:\(port)/api/products/1"
            let asOrderService = [Self.testIdentityHeader: "order-service"]
            #expect(try await curl(url, headers: asOrderService).status == 200)
            #expect(try await curl(url, method: "POST", headers: asOrderService, body: "{}").status == 200)
            let delete = try await curl(url, method: "DELETE", headers: asOrderService)
            #expect(delete.status == 403)
            #expect(delete.body == "RBAC: access denied")
            #expect(try await curl(url).status == 403, "a caller without an identity")
            #expect(calls.count("GET products") == 1)
            #expect(calls.count("POST products") == 1)
            #expect(calls.count("DELETE products") == 0)
            let invocation = try await curl(
                "http://127.0.0.1:\(port)/v1.0/invoke/product-service/method/api/products/1",
                headers: asOrderService
            )
            #expect(invocation.status == 200, "invocations know the caller's identity too")
            #expect(invocation.body == "product")
        }
    }

    @Test(
        "an app route's path is authorized normalized: %00 is 400, and a path with dot segments is 400 rather than run a route other than the one authorized"
    )
    func normalizedPath() async throws {
        let calls = Calls()
        let mesh = try await Self.productService(resources: try ResourceLoader.load(file: Self.seedPolicy), calls: calls)
        let router = Self.routes(MeshKitMiddleware<BasicRequestContext>(mesh: mesh), calls: calls)
        try await withHummingbird(mesh: mesh, router: router) { port async throws in
            let base = "http://127.0.0.1:\(port)"
            #expect(try await curl("\(base)/health/live%00").status == 400)
            // Normalized, `/health/live`, which anyone may GET; routed as written, `/admin/**`.
            #expect(try await curl("\(base)/admin/../health/live").status == 400)
            #expect(try await curl("\(base)/admin/%2E%2e/health/live").status == 400)
            #expect(calls.count("admin") == 0)
            #expect(calls.count("health") == 0)
        }
    }

    static let loopbackOnlyYAML = """
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata:
          name: loopback-only
          namespace: my-app
        spec:
          selector:
            matchLabels:
              app: product-service
          rules:
            - from:
                - source:
                    ipBlocks: ["127.0.0.1/32"]
        """

    /// A request context that keeps the client's address, as Hummingbird's
    /// `RemoteAddressRequestContext` documents.
    struct AddressedContext: RequestContext, RemoteAddressRequestContext {
        var coreContext: CoreRequestContextStorage
        let remoteAddress: SocketAddress?

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            remoteAddress = source.channel.remoteAddress
        }
    }

    @Test("a context that gives the client's address lets source.ipBlocks match it; without one the address is unknown and the rule denies")
    func sourceAddress() async throws {
        let policy = try ResourceLoader.parse(yaml: Self.loopbackOnlyYAML, file: "loopback-only.yaml")
        let calls = Calls()
        let addressedMesh = try await Self.productService(resources: policy, calls: calls)
        let addressed = Self.routes(MeshKitMiddleware<AddressedContext>(mesh: addressedMesh), calls: calls)
        try await withHummingbird(mesh: addressedMesh, router: addressed) { port async throws in
            #expect(try await curl("http://127.0.0.1:\(port)/api/products/1").status == 200)
            #expect(try await curl("http://127.0.0.1:\(port)/v1.0/invoke/product-service/method/api/products/1").status == 200)
        }
        let basicMesh = try await Self.productService(resources: policy, calls: calls)
        let basic = Self.routes(MeshKitMiddleware<BasicRequestContext>(mesh: basicMesh), calls: calls)
        try await withHummingbird(mesh: basicMesh, router: basic) { port async throws in
            #expect(try await curl("http://127.0.0.1:\(port)/api/products/1").status == 403)
        }
    }

    @Test(
        "with an API token, an invocation without it or with a wrong one is 401 and with it 200; health checks and the app's routes need none; the handler never sees it"
    )
    func apiToken() async throws {
        let secret = "tok-\(UUID().uuidString)"
        let mesh = try await Mesh(appID: "shop", configuration: .testing())
        mesh.handleInvocation("echo") { request in
            .text(request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n"))
        }
        let router = Router()
        router.add(middleware: MeshKitMiddleware(mesh: mesh, apiToken: APIToken(secret)))
        router.get("/orders/{id}") { _, _ in "order" }
        try await withHummingbird(mesh: mesh, router: router) { port in
            let base = "http://127.0.0.1:\(port)"
            let url = "\(base)/v1.0/invoke/shop/method/echo"
            let missing = try await curl(url)
            #expect(missing.status == 401)
            #expect(missing.body.contains("ERR_UNAUTHORIZED"))
            #expect(try await curl(url, headers: ["dapr-api-token": "wrong"]).status == 401)
            #expect(try await curl("\(base)/echo", headers: ["dapr-app-id": "shop"]).status == 401, "invoked by its header")
            let accepted = try await curl(url, headers: ["dapr-api-token": secret])
            #expect(accepted.status == 200)
            #expect(!accepted.body.isEmpty)
            #expect(!accepted.body.contains(secret), "the handler never sees the token")
            #expect(try await curl("\(base)/v1.0/healthz").status == 204)
            #expect(try await curl("\(base)/orders/1").status == 200, "the token guards Dapr's API, not the app's routes")
        }
    }
}
