public import MeshKit
public import OTel

extension OTel.Configuration {
    /// swift-otel's configuration for a MeshKit app: OTLP/HTTP export of traces, metrics and
    /// logs, with `serviceName` the app ID, set from the Dapr `Configuration`'s tracing section.
    ///
    /// - `samplingRate` becomes a parent-based trace-ID-ratio sampler: a trace that arrives
    ///   keeps its sampled flag, and a new one is sampled at the rate.
    /// - `otel.endpointAddress` (`localhost:4318`, with `isSecure` choosing `https`) is where the
    ///   three signals go, at `/v1/traces`, `/v1/metrics` and `/v1/logs`.
    /// - `zipkin` has no exporter in swift-otel; run an OpenTelemetry Collector with a Zipkin
    ///   exporter behind the OTLP endpoint instead. ``MeshKitObservability/unsupportedExporters(in:)``
    ///   names what is left out.
    ///
    /// The `OTEL_*` environment variables, applied by ``MeshKitObservability/bootstrap(appID:tracing:environment:)``,
    /// override all of these, as OpenTelemetry's SDKs do.
    public static func meshKit(appID: String, tracing: ConfigurationResource.Tracing?) -> OTel.Configuration {
        var configuration = OTel.Configuration.default
        configuration.serviceName = appID
        // Only the OTLP/HTTP exporter is built (the package enables swift-otel's `OTLPHTTP` trait).
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.metrics.otlpExporter.protocol = .httpProtobuf
        configuration.logs.otlpExporter.protocol = .httpProtobuf
        guard let tracing else { return configuration }
        if let sampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration.parentBasedTraceIDRatio(ratio: tracing.samplingRate) {
            configuration.traces.sampler = sampler
        }
        if let otel = tracing.otel {
            let base = Self.baseURL(otel)
            configuration.traces.otlpExporter.endpoint = base + "/v1/traces"
            configuration.metrics.otlpExporter.endpoint = base + "/v1/metrics"
            configuration.logs.otlpExporter.endpoint = base + "/v1/logs"
        }
        return configuration
    }

    /// `http://address` (`https` when secure) unless the address has a scheme, without a final
    /// slash.
    static func baseURL(_ exporter: ConfigurationResource.OTelExporter) -> String {
        var address = exporter.endpointAddress
        while address.hasSuffix("/") { address.removeLast() }
        if address.hasPrefix("http://") || address.hasPrefix("https://") { return address }
        return (exporter.isSecure ? "https://" : "http://") + address
    }
}
