import CoreMetrics
import Synchronization

/// OpenTelemetry's HTTP duration histograms for service invocation, as swift-metrics timers:
///
/// | label | dimensions |
/// |---|---|
/// | `http.client.request.duration` | `http.request.method`, `url.template` (when the caller gives a method pattern), `server.address` (the callee's app ID), `http.response.status_code`, `error.type` (on failure) |
/// | `http.server.request.duration` | `http.request.method`, `http.route` (the registered method pattern), `http.response.status_code`, `error.type` (on a 5xx) |
///
/// Invocation is HTTP in Dapr's model (an HTTP method, a path, headers and a status, whatever
/// the transport), so the stable HTTP conventions fit it better than the RPC ones, whose
/// duration metrics are still in development and have no place for the status code.
///
/// A timer is made once per set of dimensions and kept.
final class InvocationMetrics: Sendable {
    private let factory: any MetricsFactory
    private let timers = Mutex<[Key: Timer]>([:])

    private struct Key: Hashable {
        let label: String
        let dimensions: [String]
    }

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Records a finished outgoing invocation.
    func recordClient(method: String, template: String?, app: String, status: Int?, error: String?, since start: ContinuousClock.Instant) {
        var dimensions = [("http.request.method", method), ("server.address", app)]
        if let template { dimensions.append(("url.template", template)) }
        if let status { dimensions.append(("http.response.status_code", String(status))) }
        if let error { dimensions.append(("error.type", error)) }
        timer("http.client.request.duration", dimensions).record(duration: start.duration(to: .now))
    }

    /// Records a finished incoming invocation.
    func recordServer(method: String, route: String?, status: Int, since start: ContinuousClock.Instant) {
        var dimensions = [("http.request.method", method), ("http.response.status_code", String(status))]
        if let route { dimensions.append(("http.route", route)) }
        if status >= 500 { dimensions.append(("error.type", String(status))) }
        timer("http.server.request.duration", dimensions).record(duration: start.duration(to: .now))
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> Timer {
        let key = Key(label: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        return timers.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = Timer(label: label, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
            timers[key] = timer
            return timer
        }
    }
}

extension Timer {
    /// Records `duration`, in nanoseconds.
    func record(duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
