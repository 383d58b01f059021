/// Tells the cluster's outlier detection how each attempt on an endpoint went: a 5xx answer, a
/// failure of the endpoint itself (refused, reset, timed out), or a success. Each ejection counts
/// in `meshkit.outlier.ejections`.
struct OutlierDetectionFilter: CallFilter {
    let metrics: PipelineMetrics

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard let cluster = call.cluster, cluster.upstream.outlierDetector != nil, let host = call.upstream else {
            return try await next(call)
        }
        do {
            let result = try await next(call)
            if let response = result as? InvocationResponse, response.status.code >= 500 {
                if cluster.upstream.record(host, outcome: .httpStatus(response.status.code)) { metrics.outlierEjections.increment() }
            } else {
                cluster.upstream.record(host, outcome: .success)
            }
            return result
        } catch let error as MeshError where error.code.isEndpointFailure {
            if cluster.upstream.record(host, outcome: .localOriginFailure) { metrics.outlierEjections.increment() }
            throw error
        }
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
