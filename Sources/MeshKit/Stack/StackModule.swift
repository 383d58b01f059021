import Logging

/// How one of MeshKit's filters is made from a target's policies: its name and a builder that
/// returns `nil` when the target's resources ask for no such filter. ``standard`` is the one list
/// of them; each module is declared beside its filter.
struct StackModule: Sendable {
    let name: FilterName
    let make: @Sendable (StackContext) -> (any CallFilter)?

    /// MeshKit's filters, outermost first. Adding a policy adds its module here.
    static let standard: [StackModule] = [
        .metrics, .accessLog, .rateLimit, .concurrencyLimit, .deadline, .retry, .route, .balancer, .outlierDetection,
        .connectionPool, .circuitBreaker, .attemptTimeout, .fault,
    ]

    /// The stack of a target: every module that applies, in order.
    static func stack(_ context: StackContext, modules: [StackModule] = standard) -> CallStack {
        CallStack(modules.compactMap { module in module.make(context).map { CallStack.Entry(module.name, $0) } })
    }
}

/// What a module reads to build its filter for one target.
struct StackContext: Sendable {
    let target: PolicyTarget
    let policies: TargetPolicies
    let metrics: PipelineMetrics
    let logger: Logger
    let clock: MonotonicClock
    let timer: AttemptTimer
    /// For calls to apps: where they live and how they are routed; `nil` for component targets.
    let routing: RoutingContext?
}
