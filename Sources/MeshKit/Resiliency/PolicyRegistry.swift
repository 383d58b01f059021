import CoreMetrics
import Logging
import Synchronization

/// Builds each target's ``CallPipeline`` once, with its breaker, budget and limiters, and hands
/// out the same pipeline for every call to that target.
final class PolicyRegistry: Sendable {
    private let pipelines = Mutex<[PolicyTarget: CallPipeline]>([:])
    private let policies: ResiliencyPolicies
    private let defaultBudget: RetryBudget.Configuration?
    private let defaultInboundRetry: RetryPolicy
    private let clock: MonotonicClock
    private let metricsFactory: (any MetricsFactory)?
    private let logger: Logger
    private let timer = AttemptTimer()

    init(resources: [ResiliencyResource], configuration: MeshConfiguration, logger: Logger) {
        self.policies = ResiliencyPolicies(resources)
        self.defaultBudget = configuration.retryBudget
        self.defaultInboundRetry = configuration.defaultInboundRetry
        self.clock = configuration.monotonicClock
        self.metricsFactory = configuration.metricsFactory
        self.logger = logger
    }

    /// The pipeline of `target`, built on first use.
    func pipeline(for target: PolicyTarget) -> CallPipeline {
        if let existing = pipelines.withLock({ $0[target] }) { return existing }
        let built = build(target)
        return pipelines.withLock { pipelines in
            if let raced = pipelines[target] { return raced }
            pipelines[target] = built
            return built
        }
    }

    /// Stops the thread that times the attempts of this mesh's pipelines.
    func shutdown() {
        timer.shutdown()
    }

    private func build(_ target: PolicyTarget) -> CallPipeline {
        var resolved = policies.resolve(target, defaultBudget: defaultBudget)
        switch target.kind {
        case .component(_, _, .inbound) where resolved.retry == nil:
            resolved.retry = defaultInboundRetry
        case .appInbound:
            // Retries belong to the caller; a resource built in code gets no inbound retry either.
            resolved.retry = nil
        default:
            break
        }
        let metrics = PipelineMetrics(target: target, factory: metricsFactory ?? MetricsSystem.factory)
        var targetLogger = logger
        targetLogger[metadataKey: "target"] = "\(target)"
        let breakerLogger = targetLogger
        let breaker = resolved.circuitBreaker.map { policy in
            CircuitBreaker(policy: policy, clock: clock) { from, to in
                metrics.record(breakerState: to)
                breakerLogger.notice("circuit breaker changed state", metadata: ["from": "\(from)", "to": "\(to)"])
            }
        }
        if breaker != nil { metrics.record(breakerState: .closed) }
        return CallPipeline(
            target: target,
            retry: resolved.retry,
            attemptTimeout: resolved.attemptTimeout,
            deadline: resolved.deadline,
            breaker: breaker,
            budget: resolved.retry == nil ? nil : resolved.retryBudget.map { RetryBudget($0, clock: clock) },
            concurrencyLimiter: resolved.concurrencyLimit.map { ConcurrencyLimiter(maxConcurrent: $0) },
            rateLimiter: resolved.rateLimit.map { TokenBucket(ratePerSecond: $0.requestsPerSecond, burst: $0.burst, clock: clock) },
            fault: resolved.fault,
            metrics: metrics,
            logger: targetLogger,
            timer: timer
        )
    }
}
