/// Records each call's duration and outcome in the target's metrics (``PipelineMetrics``).
struct MetricsFilter: CallFilter {
    let metrics: PipelineMetrics

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        let start = ContinuousClock.now
        do {
            let result = try await next(call)
            metrics.record(durationSince: start)
            if case .failure = call.verdict(of: result) { metrics.failures.increment() } else { metrics.successes.increment() }
            return result
        } catch {
            metrics.record(durationSince: start)
            metrics.failures.increment()
            throw error
        }
    }
}

extension StackModule {
    static let metrics = StackModule(name: .metrics) { context in MetricsFilter(metrics: context.metrics) }
}
