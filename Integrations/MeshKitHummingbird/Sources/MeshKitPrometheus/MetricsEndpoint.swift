public import Hummingbird
public import Prometheus

/// MeshKit's metrics for Prometheus: a swift-metrics factory on a swift-prometheus registry with
/// ``PrometheusNaming``, and a Hummingbird route that serves the registry in Prometheus's text
/// format for scraping.
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// MetricsSystem.bootstrap(MetricsEndpoint.factory(registry: registry))
/// router.addMetricsEndpoint(registry: registry)   // GET /metrics
/// ```
public enum MetricsEndpoint {
    /// A factory writing to `registry`, naming metrics by ``PrometheusNaming``.
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (PrometheusNaming.name(name), labels.map { (PrometheusNaming.underscored($0.0), $0.1) })
        }
        return factory
    }

    /// The scrape's answer: the registry in Prometheus's text exposition format 0.0.4.
    public static func response(registry: PrometheusCollectorRegistry) -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer))
        )
    }
}

extension Router {
    /// Serves `registry` at `path` (`/metrics`) for Prometheus to scrape.
    public func addMetricsEndpoint(registry: PrometheusCollectorRegistry, path: RouterPath = "/metrics") {
        get(path) { _, _ in MetricsEndpoint.response(registry: registry) }
    }
}
