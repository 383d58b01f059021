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
/// A timer is made once per set of dimensions and kept; a call finds its own with one lock and
/// one hash of its fields.
final class InvocationMetrics: Sendable {
    private let factory: any MetricsFactory
    private let clientTimers = Mutex<[ClientKey: Timer]>([:])
    private let serverTimers = Mutex<[ServerKey: Timer]>([:])

    private struct ClientKey: Hashable {
        let method: String
        let template: String?
        let app: String
        let status: Int?
        let error: String?
    }

    private struct ServerKey: Hashable {
        let method: String
        let route: String?
        let status: Int
    }

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Records a finished outgoing invocation; `start` is a reading of
    /// ``MonotonicClock/systemNanoseconds()``.
    func recordClient(method: String, template: String?, app: String, status: Int?, error: String?, since start: Int64) {
        let key = ClientKey(method: method, template: template, app: app, status: status, error: error)
        let timer = clientTimers.withLock { timers in
            if let timer = timers[key] { return timer }
            var dimensions = [("http.request.method", method), ("server.address", app)]
            if let template { dimensions.append(("url.template", template)) }
            if let status { dimensions.append(("http.response.status_code", String(status))) }
            if let error { dimensions.append(("error.type", error)) }
            let timer = Timer(
                label: "http.client.request.duration",
                dimensions: dimensions,
                preferredDisplayUnit: .seconds,
                factory: factory
            )
            timers[key] = timer
            return timer
        }
        timer.recordNanoseconds(MonotonicClock.systemNanoseconds() - start)
    }

    /// Records a finished incoming invocation; `start` is a reading of
    /// ``MonotonicClock/systemNanoseconds()``.
    func recordServer(method: String, route: String?, status: Int, since start: Int64) {
        let key = ServerKey(method: method, route: route, status: status)
        let timer = serverTimers.withLock { timers in
            if let timer = timers[key] { return timer }
            var dimensions = [("http.request.method", method), ("http.response.status_code", String(status))]
            if let route { dimensions.append(("http.route", route)) }
            if status >= 500 { dimensions.append(("error.type", String(status))) }
            let timer = Timer(
                label: "http.server.request.duration",
                dimensions: dimensions,
                preferredDisplayUnit: .seconds,
                factory: factory
            )
            timers[key] = timer
            return timer
        }
        timer.recordNanoseconds(MonotonicClock.systemNanoseconds() - start)
    }
}
