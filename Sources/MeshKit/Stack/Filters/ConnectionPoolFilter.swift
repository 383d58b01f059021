/// Holds each attempt to the cluster's connection-pool limits: past the calls in flight, a call
/// waits among at most `http1MaxPendingRequests` others, and past those fails at once with
/// ``MeshError/Code/tooManyRequests``, as Envoy's overflow does. Each overflow counts in
/// `meshkit.connection_pool.overflow`.
struct ConnectionPoolFilter: CallFilter {
    let metrics: PipelineMetrics

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard let pool = call.cluster?.pool else { return try await next(call) }
        let isRetry = call.attempt > 1
        if isRetry {
            guard pool.tryAcquireRetry() else {
                metrics.poolOverflows.increment()
                throw MeshError(.tooManyRequests, "the retries in flight to \(call.target) reached the pool's maxRetries")
            }
        }
        defer { if isRetry { pool.releaseRetry() } }
        do {
            try await pool.acquire()
        } catch let error as MeshError where error.code == .tooManyRequests {
            metrics.poolOverflows.increment()
            throw error
        }
        defer { pool.release() }
        return try await next(call)
    }
}

extension StackModule {
    static let connectionPool = StackModule(name: .connectionPool) { context in
        guard let routing = context.routing, routing.transport != nil, routing.rules.hasConnectionPools else { return nil }
        return ConnectionPoolFilter(metrics: context.metrics)
    }
}
