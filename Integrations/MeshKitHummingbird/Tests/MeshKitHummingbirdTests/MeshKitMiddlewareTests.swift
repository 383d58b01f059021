import Foundation
import Hummingbird
import MeshKit
import MeshKitHummingbird
import MeshKitTesting
import Testing

@Suite("MeshKit on a Hummingbird server: one port for the app's routes and MeshKit's, inbound policies as middleware")
struct MeshKitMiddlewareTests {
    /// A Resiliency whose `fragile` breaker guards `shop`'s inbound calls, with a 300ms `handler`
    /// timeout too when `timeout` is true.
    static func inboundYAML(timeout: Bool) -> String {
        """
        apiVersion: dapr.io/v1alpha1
        kind: Resiliency
        metadata:
          name: shop-inbound
        spec:
          policies:
            timeouts:
              handler: 300ms
            circuitBreakers:
              fragile:
                maxRequests: 1
                timeout: 60s
                trip: consecutiveFailures >= 2
          targets:
            apps:
              shop:
                inbound:
                  circuitBreaker: fragile
        \(timeout ? "          timeout: handler" : "")
        """
    }

    private func shop(resources: ResourceSet = ResourceSet()) async throws -> (Mesh, Router<BasicRequestContext>) {
        var resources = resources
        resources.components = [ComponentResource(name: "statestore", type: "state.in-memory")]
        let mesh = try await Mesh(appID: "shop", configuration: .testing(resources: resources))
        mesh.handleInvocation("products/{sku}", httpMethods: [.get]) { request in
            .text("product \(request.pathParameters["sku"] ?? "")")
        }
        let router = Router()
        router.add(middleware: MeshKitMiddleware(mesh: mesh))
        router.get("/orders/{id}") { _, context in "order \(try context.parameters.require("id"))" }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(5))
            return "late"
        }
        router.get("/broken") { _, _ -> Response in Response(status: .internalServerError) }
        return (mesh, router)
    }

    @Test("the app's routes, Dapr's invocation API and health endpoints answer on one port")
    func onePort() async throws {
        let (mesh, router) = try await shop()
        try await withHummingbird(mesh: mesh, router: router) { port in
            let base = "http://127.0.0.1:\(port)"
            let order = try await curl("\(base)/orders/7")
            #expect(order.status == 200)
            #expect(order.body == "order 7")
            let product = try await curl("\(base)/v1.0/invoke/shop/method/products/mug")
            #expect(product.status == 200)
            #expect(product.body == "product mug")
            let byHeader = try await curl("\(base)/products/cup", headers: ["dapr-app-id": "shop"])
            #expect(byHeader.body == "product cup")
            #expect(try await curl("\(base)/v1.0/healthz").status == 204)
            #expect(try await curl("\(base)/v1.0/healthz/outbound").status == 204)
            #expect(try await curl("\(base)/v1.0/invoke/other/method/x").status == 404)
            #expect(try await curl("\(base)/v1.0/state/statestore").status == 404, "the rest of Dapr's API is not served")
            #expect(try await curl("\(base)/nowhere").status == 404)
        }
    }

    @Test("the inbound timeout and breaker apply to Hummingbird routes: 504 past the timeout, 503 once the breaker opens")
    func inboundPolicies() async throws {
        let (mesh, router) = try await shop(resources: try ResourceLoader.parse(yaml: Self.inboundYAML(timeout: true), file: "shop-inbound.yaml"))
        try await withHummingbird(mesh: mesh, router: router) { port in
            let base = "http://127.0.0.1:\(port)"
            let started = ContinuousClock.now
            let slow = try await curl("\(base)/slow")
            #expect(slow.status == 504)
            #expect(ContinuousClock.now - started < .seconds(3), "cancelled at the 300ms timeout, not after the route's 5s")
            #expect(try await curl("\(base)/broken").status == 500)
            let open = try await curl("\(base)/orders/1")
            #expect(open.status == 503, "two consecutive failures opened the breaker")
            #expect(open.body.contains("ERR_"), "Dapr's error JSON")
        }
    }

    @Test("without an inbound timeout, where the middleware awaits the route itself, the breaker counts 5xx answers and not a 404")
    func breakerWithoutTimeout() async throws {
        let (mesh, router) = try await shop(resources: try ResourceLoader.parse(yaml: Self.inboundYAML(timeout: false), file: "shop-inbound.yaml"))
        try await withHummingbird(mesh: mesh, router: router) { port in
            let base = "http://127.0.0.1:\(port)"
            #expect(try await curl("\(base)/broken").status == 500)
            #expect(try await curl("\(base)/nowhere").status == 404, "the router's 404, a thrown error Hummingbird answers")
            #expect(try await curl("\(base)/broken").status == 500)
            #expect(try await curl("\(base)/orders/1").status == 200, "the 404 was no failure, so the two 500s were not consecutive")
            #expect(try await curl("\(base)/broken").status == 500)
            #expect(try await curl("\(base)/broken").status == 500)
            let open = try await curl("\(base)/orders/2")
            #expect(open.status == 503, "two consecutive failures opened the breaker")
            #expect(open.body.contains("ERR_"), "Dapr's error JSON")
        }
    }

    static let limitYAML = """
        apiVersion: dapr.io/v1alpha1
        kind: Resiliency
        metadata:
          name: shop-limit
        spec:
          policies:
            rateLimits:
              tight: { requestsPerSecond: 0.1, burst: 2 }
          targets:
            apps:
              shop:
                inbound:
                  rateLimit: tight
        """

    @Test("the inbound rate limit applies to Hummingbird routes: 429 once the burst is spent; a caller's deadline bounds a route")
    func inboundLimitAndDeadline() async throws {
        let (mesh, router) = try await shop(resources: try ResourceLoader.parse(yaml: Self.limitYAML, file: "shop-limit.yaml"))
        try await withHummingbird(mesh: mesh, router: router) { port in
            let base = "http://127.0.0.1:\(port)"
            let first = try await curl("\(base)/orders/1")
            #expect(first.status == 200)
            let started = ContinuousClock.now
            #expect(try await curl("\(base)/slow", headers: ["x-meshkit-deadline": "200m"]).status == 504)
            #expect(ContinuousClock.now - started < .seconds(3), "the caller's 200ms deadline cut the 5s route short")
            #expect(try await curl("\(base)/orders/2").status == 429)
        }
    }
}
