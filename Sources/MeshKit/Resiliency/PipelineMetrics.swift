import CoreMetrics

/// The swift-metrics handles of one target, made once when its pipeline is built.
///
/// | label | type | dimensions |
/// |---|---|---|
/// | `meshkit.calls` | counter | `target`, `outcome` (`success`, `failure`) |
/// | `meshkit.call.duration` | timer | `target` |
/// | `meshkit.retries` | counter | `target` |
/// | `meshkit.retry_budget.exhausted` | counter | `target` |
/// | `meshkit.circuit_breaker.state` | meter | `target`; 0 closed, 1 half-open, 2 open |
/// | `meshkit.outlier.ejections` | counter | `target` |
/// | `meshkit.connection_pool.overflow` | counter | `target` |
///
/// The conventional OpenTelemetry duration histograms of invocations are in
/// ``InvocationMetrics``.
struct PipelineMetrics: Sendable {
    let successes: Counter
    let failures: Counter
    let duration: Timer
    let retries: Counter
    let budgetExhausted: Counter
    let breakerState: Meter
    let outlierEjections: Counter
    let poolOverflows: Counter

    init(target: PolicyTarget, factory: any MetricsFactory) {
        let label = target.metricLabel
        successes = Counter(label: "meshkit.calls", dimensions: [("target", label), ("outcome", "success")], factory: factory)
        failures = Counter(label: "meshkit.calls", dimensions: [("target", label), ("outcome", "failure")], factory: factory)
        duration = Timer(label: "meshkit.call.duration", dimensions: [("target", label)], factory: factory)
        retries = Counter(label: "meshkit.retries", dimensions: [("target", label)], factory: factory)
        budgetExhausted = Counter(label: "meshkit.retry_budget.exhausted", dimensions: [("target", label)], factory: factory)
        breakerState = Meter(label: "meshkit.circuit_breaker.state", dimensions: [("target", label)], factory: factory)
        outlierEjections = Counter(label: "meshkit.outlier.ejections", dimensions: [("target", label)], factory: factory)
        poolOverflows = Counter(label: "meshkit.connection_pool.overflow", dimensions: [("target", label)], factory: factory)
    }

    /// Records the duration of a call that started at `start`, a reading of
    /// ``MonotonicClock/systemNanoseconds()``.
    func record(durationSince start: Int64) {
        duration.recordNanoseconds(MonotonicClock.systemNanoseconds() - start)
    }

    func record(breakerState state: CircuitBreaker.State) {
        switch state {
        case .closed: breakerState.set(0)
        case .halfOpen: breakerState.set(1)
        case .open: breakerState.set(2)
        }
    }
}
