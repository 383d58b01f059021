import Foundation
import Hummingbird
import MeshKit
import MeshKitHummingbird
import MeshKitPrometheus
import MeshKitTesting
import Prometheus
import Testing

@Suite("MeshKit's metrics served at /metrics with swift-prometheus, scraped with curl")
struct PrometheusScrapeTests {
    @Test("after calls, a scrape has the HTTP duration histograms and meshkit counters in Prometheus's names")
    func scrape() async throws {
        let registry = PrometheusCollectorRegistry()
        var configuration = MeshConfiguration.testing()
        configuration.metricsFactory = MetricsEndpoint.factory(registry: registry)
        let mesh = try await Mesh(appID: "shop", configuration: configuration)
        mesh.handleInvocation("products/{sku}") { _ in .text("ok") }
        let router = Router()
        router.addMetricsEndpoint(registry: registry)
        router.add(middleware: MeshKitMiddleware(mesh: mesh))
        router.get("/orders/{id}") { _, _ in "order" }
        try await withHummingbird(mesh: mesh, router: router) { port in
            let base = "http://127.0.0.1:\(port)"
            _ = try await curl("\(base)/orders/1")
            _ = try await curl("\(base)/v1.0/invoke/shop/method/products/mug")
            _ = try await mesh.invoke(appID: "shop", method: "products/cup", methodPattern: "products/{sku}")
            let scrape = try await curl("\(base)/metrics")
            #expect(scrape.status == 200)
            let text = scrape.body
            #expect(
                text.contains(
                    #"http_server_request_duration_seconds_count{http_request_method="GET",http_response_status_code="200",http_route="/orders/{id}"} 1"#
                )
            )
            #expect(text.contains(#"http_route="products/{sku}""#))
            #expect(
                text.contains(
                    #"http_client_request_duration_seconds_bucket{http_request_method="POST",server_address="shop",url_template="products/{sku}",http_response_status_code="200""#
                )
            )
            #expect(text.contains("# TYPE http_server_request_duration_seconds histogram"))
        }
    }
}
