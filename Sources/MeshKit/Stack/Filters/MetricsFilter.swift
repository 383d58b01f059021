/// Records each call's duration and outcome in the target's metrics (``PipelineMetrics``).
final class MetricsFilter: SynchronousCallFilter {
    let metrics: PipelineMetrics

    init(metrics: PipelineMetrics) {
        self.metrics = metrics
    }

    /// The ticket is the call's start, a reading of ``MonotonicClock/systemNanoseconds()``.
    func enter<Result: Sendable>(_ call: MeshCall<Result>) -> FilterTicket {
        FilterTicket(number: MonotonicClock.systemNanoseconds())
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: Result) {
        metrics.record(durationSince: ticket.number)
        if case .failure = call.verdict(of: result) { metrics.failures.increment() } else { metrics.successes.increment() }
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {
        metrics.record(durationSince: ticket.number)
        metrics.failures.increment()
    }
}

extension StackModule {
    static let metrics = StackModule(name: .metrics) { context in MetricsFilter(metrics: context.metrics) }
}
