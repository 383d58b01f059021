public import Foundation
public import MeshKit
import OTel
public import ServiceLifecycle

/// Bootstraps swift-otel for a MeshKit app: its tracer, metrics factory and log handler become
/// the process's, so MeshKit's spans, `meshkit.*` and HTTP metrics and logs go out over OTLP.
///
/// ```swift
/// let mesh = try await Mesh(appID: "checkout", resourcesPath: "./resources")
/// let observability = try MeshKitObservability.bootstrap(
///     appID: mesh.appID,
///     tracing: mesh.appliedConfigurations.lazy.compactMap(\.tracing).first
/// )
/// let group = ServiceGroup(services: [observability, mesh], gracefulShutdownSignals: [.sigterm], logger: mesh.logger)
/// ```
///
/// Bootstrap before creating the mesh's `Logger` (``MeshConfiguration/logger``), since a logger
/// keeps the handler it was made with. The swift-log, swift-metrics and
/// swift-distributed-tracing systems can be bootstrapped once per process.
public enum MeshKitObservability {
    /// Bootstraps the three systems from ``OTel/Configuration/meshKit(appID:tracing:)`` with
    /// `environment`'s `OTEL_*` variables applied over it; returns the service that exports,
    /// to run beside the mesh (it flushes on a graceful shutdown).
    public static func bootstrap(
        appID: String,
        tracing: ConfigurationResource.Tracing?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> some Service {
        try OTel.bootstrap(configuration: .meshKit(appID: appID, tracing: tracing), environment: environment)
    }

    /// The exporter sections of `tracing` that swift-otel cannot honour (`zipkin`), for the app
    /// to log.
    public static func unsupportedExporters(in tracing: ConfigurationResource.Tracing) -> [String] {
        tracing.exporters.filter { $0 != "otel" }
    }
}
