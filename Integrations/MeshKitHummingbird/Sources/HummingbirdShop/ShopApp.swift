import Hummingbird
import MeshKit
import MeshKitHummingbird
import MeshKitPrometheus
import Prometheus

/// The example app: its own routes (`GET /orders/{id}`, `GET /hello`), MeshKit's invocations
/// (method `products/{sku}`) and health endpoints, and `/metrics`, on one Hummingbird server.
enum ShopApp {
    /// The router; `withMeshKit: false` leaves MeshKit's middleware out (the baseline of the
    /// benchmark in `Benchmarks/Hummingbird`).
    static func router(mesh: Mesh, registry: PrometheusCollectorRegistry, withMeshKit: Bool = true) -> Router<BasicRequestContext> {
        mesh.handleInvocation("products/{sku}", httpMethods: [.get]) { request in
            .text("product \(request.pathParameters["sku"] ?? "")")
        }
        let router = Router()
        router.addMetricsEndpoint(registry: registry)
        if withMeshKit { router.add(middleware: MeshKitMiddleware(mesh: mesh)) }
        router.get("/hello") { _, _ in "hello" }
        router.get("/orders/{id}") { _, context in
            "order \(try context.parameters.require("id"))"
        }
        return router
    }
}
