import CoreMetrics
import Logging
import Synchronization

/// Builds each target's ``TargetStack`` once, with its breaker, budget and limiters, and hands
/// out the same stack for every call to that target.
final class PolicyRegistry: Sendable {
    private let stacks = Mutex<[PolicyTarget: TargetStack]>([:])
    private let policies: ResiliencyPolicies
    private let defaultBudget: RetryBudget.Configuration?
    private let defaultInboundRetry: RetryPolicy
    private let clock: MonotonicClock
    private let metricsFactory: (any MetricsFactory)?
    private let editStack: (@Sendable (inout CallStack, PolicyTarget) -> Void)?
    private let logger: Logger
    private let timer = AttemptTimer()

    init(resources: [ResiliencyResource], configuration: MeshConfiguration, logger: Logger) {
        self.policies = ResiliencyPolicies(resources)
        self.defaultBudget = configuration.retryBudget
        self.defaultInboundRetry = configuration.defaultInboundRetry
        self.clock = configuration.monotonicClock
        self.metricsFactory = configuration.metricsFactory
        self.editStack = configuration.editStack
        self.logger = logger
    }

    /// The stack of `target`, built on first use.
    func stack(for target: PolicyTarget) -> TargetStack {
        if let existing = stacks.withLock({ $0[target] }) { return existing }
        let built = build(target)
        return stacks.withLock { stacks in
            if let raced = stacks[target] { return raced }
            stacks[target] = built
            return built
        }
    }

    /// Stops the thread that times the attempts of this mesh's stacks.
    func shutdown() {
        timer.shutdown()
    }

    private func build(_ target: PolicyTarget) -> TargetStack {
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
        if resolved.retry == nil { resolved.retryBudget = nil }
        var targetLogger = logger
        targetLogger[metadataKey: "target"] = "\(target)"
        let context = StackContext(
            target: target,
            policies: resolved,
            metrics: PipelineMetrics(target: target, factory: metricsFactory ?? MetricsSystem.factory),
            logger: targetLogger,
            clock: clock,
            timer: timer
        )
        var stack = StackModule.stack(context)
        editStack?(&stack, target)
        return TargetStack(target: target, stack: stack, retryMatching: resolved.retry?.matching)
    }
}
