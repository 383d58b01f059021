import CoreMetrics
import Logging
import Synchronization

/// Builds each target's ``TargetStack`` once, with its breaker, budget, limiters and routing, and
/// hands out the same stack for every call to that target.
///
/// An app that a VirtualService routes has one stack per route: the route's retries, timeout and
/// fault replace the Resiliency target's where the route sets them (see
/// ``TargetPolicies/applying(_:)``).
final class PolicyRegistry: Sendable {
    /// Which stack: a target's, one route's of an app, or the stack mirrored copies take.
    private enum StackKey: Hashable {
        case target(PolicyTarget)
        case route(PolicyTarget, Int)
        case mirror(String)
    }

    private let stacks = Mutex<[StackKey: TargetStack]>([:])
    private let policies: ResiliencyPolicies
    private let defaultBudget: RetryBudget.Configuration?
    private let defaultInboundRetry: RetryPolicy
    private let clock: MonotonicClock
    private let metricsFactory: (any MetricsFactory)?
    private let editStack: (@Sendable (inout CallStack, PolicyTarget) -> Void)?
    private let logger: Logger
    private let timer = AttemptTimer()
    let rules: TrafficRules
    let mirrors = MirrorSender()
    private let network: InProcessNetwork
    private let transport: (any InvocationTransport)?
    private let accessLog: AccessLogWriter?

    init(resources: ResourceSet, configuration: MeshConfiguration, logger: Logger) throws(MeshError) {
        self.policies = ResiliencyPolicies(resources.resiliencies)
        self.rules = TrafficRules(resources, clock: configuration.monotonicClock)
        self.defaultBudget = configuration.retryBudget
        self.defaultInboundRetry = configuration.defaultInboundRetry
        self.clock = configuration.monotonicClock
        self.metricsFactory = configuration.metricsFactory
        self.editStack = configuration.editStack
        self.network = configuration.network
        self.transport = configuration.remoteTransport
        self.logger = logger
        self.accessLog = try resources.meshConfigs.first { $0.accessLogFile?.isEmpty == false }.map { config throws(MeshError) in
            try AccessLogWriter(path: config.accessLogFile ?? "", resourceFile: config.header.source?.file)
        }
    }

    /// The stack of `target`, built on first use.
    func stack(for target: PolicyTarget) -> TargetStack {
        stack(.target(target))
    }

    /// The stack of the route at `index` in the VirtualService of the app `target` names.
    func stack(for target: PolicyTarget, route index: Int) -> TargetStack {
        stack(.route(target, index))
    }

    /// The stack that mirrored copies to `appID` take: only the balancer and the endpoint
    /// filters, as Envoy sends a mirror straight to the mirror cluster.
    func mirrorStack(for appID: String) -> TargetStack {
        stack(.mirror(appID))
    }

    /// Stops the thread that times the attempts of this mesh's stacks, the mirror queue and the
    /// access log.
    func shutdown() async {
        timer.shutdown()
        mirrors.finish()
        await accessLog?.close()
    }

    private func stack(_ key: StackKey) -> TargetStack {
        if let existing = stacks.withLock({ $0[key] }) { return existing }
        let built = build(key)
        return stacks.withLock { stacks in
            if let raced = stacks[key] { return raced }
            stacks[key] = built
            return built
        }
    }

    private func build(_ key: StackKey) -> TargetStack {
        let target: PolicyTarget
        var route: HTTPRoute?
        switch key {
        case .target(let keyTarget):
            target = keyTarget
        case .route(let keyTarget, let index):
            target = keyTarget
            if case .app(let appID) = keyTarget.kind, let service = rules.virtualService(for: appID), service.http.indices.contains(index) {
                route = service.http[index]
            }
        case .mirror(let appID):
            let mirrorTarget = PolicyTarget.app(appID)
            let context = makeContext(mirrorTarget, policies: TargetPolicies(), route: nil)
            let stack = StackModule.stack(context, modules: [.balancer, .outlierDetection, .connectionPool, .attemptTimeout])
            return TargetStack(target: mirrorTarget, stack: stack, retryMatching: nil)
        }
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
        if let route { resolved = resolved.applying(route) }
        if resolved.retry == nil { resolved.retryBudget = nil }
        var stack = StackModule.stack(makeContext(target, policies: resolved, route: route))
        editStack?(&stack, target)
        return TargetStack(target: target, stack: stack, retryMatching: resolved.retry?.matching)
    }

    private func makeContext(_ target: PolicyTarget, policies: TargetPolicies, route: HTTPRoute?) -> StackContext {
        var targetLogger = logger
        targetLogger[metadataKey: "target"] = "\(target)"
        let routing: RoutingContext?
        if case .app = target.kind {
            routing = RoutingContext(
                network: network,
                transport: transport,
                rules: rules,
                route: route,
                mirrors: mirrors,
                accessLog: accessLog
            )
        } else {
            routing = nil
        }
        return StackContext(
            target: target,
            policies: policies,
            metrics: PipelineMetrics(target: target, factory: metricsFactory ?? MetricsSystem.factory),
            logger: targetLogger,
            clock: clock,
            timer: timer,
            routing: routing
        )
    }
}
