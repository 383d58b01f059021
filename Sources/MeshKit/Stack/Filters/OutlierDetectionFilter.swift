/// Tells the cluster's outlier detection how each attempt on an endpoint went: a 5xx answer, a
/// failure of the endpoint itself (refused, reset, timed out), or a success. Each ejection counts
/// in `meshkit.outlier.ejections`.
final class OutlierDetectionFilter: SynchronousCallFilter {
    let metrics: PipelineMetrics

    init(metrics: PipelineMetrics) {
        self.metrics = metrics
    }

    func passesThrough<Result: Sendable>(_ call: MeshCall<Result>) -> Bool {
        call.cluster?.upstream.outlierDetector == nil || call.upstream == nil
    }

    func enter<Result: Sendable>(_ call: MeshCall<Result>) -> FilterTicket {
        .none
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: Result) {
        guard let cluster = call.cluster, let host = call.upstream else { return }
        if let status = call.reading.status(result), status >= 500 {
            if cluster.upstream.record(host, outcome: .httpStatus(status)) { metrics.outlierEjections.increment() }
        } else {
            cluster.upstream.record(host, outcome: .success)
        }
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {
        guard let cluster = call.cluster, let host = call.upstream,
            let error = error as? MeshError, error.code.isEndpointFailure
        else { return }
        if cluster.upstream.record(host, outcome: .localOriginFailure) { metrics.outlierEjections.increment() }
    }
}

extension MeshError.Code {
    /// Whether an error with this code says the endpoint itself failed: it could not be reached,
    /// reset the call or did not answer in time.
    var isEndpointFailure: Bool {
        switch self {
        case .connectFailed, .unavailable, .timeout, .invocationFailed: true
        default: false
        }
    }
}

extension StackModule {
    static let outlierDetection = StackModule(name: .outlierDetection) { context in
        guard let routing = context.routing, routing.transport != nil, routing.rules.hasOutlierDetection else { return nil }
        return OutlierDetectionFilter(metrics: context.metrics)
    }
}
