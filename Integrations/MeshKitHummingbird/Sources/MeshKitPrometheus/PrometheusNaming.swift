/// OpenTelemetry's names in Prometheus's form, as the OpenTelemetry Collector's Prometheus
/// exporter writes them: dots become underscores, a duration histogram (`….duration`, recorded in
/// seconds) ends in `_seconds`, a counter in `_total`; label names' dots become underscores.
///
/// | swift-metrics label | Prometheus name |
/// |---|---|
/// | `http.server.request.duration` | `http_server_request_duration_seconds` |
/// | `meshkit.retries` | `meshkit_retries_total` |
/// | `meshkit.circuit_breaker.state` | `meshkit_circuit_breaker_state` |
public enum PrometheusNaming {
    /// MeshKit's counters, which take `_total`.
    public static let counters: Set<String> = [
        "meshkit.calls", "meshkit.retries", "meshkit.retry_budget.exhausted", "meshkit.outlier.ejections",
        "meshkit.connection_pool.overflow",
    ]

    /// The Prometheus name of the metric `label`.
    public static func name(_ label: String) -> String {
        var name = underscored(label)
        if label.hasSuffix(".duration") { name += "_seconds" }
        if counters.contains(label) { name += "_total" }
        return name
    }

    /// A label (dimension) name in Prometheus's form: `http.route` is `http_route`.
    public static func underscored(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }
}
