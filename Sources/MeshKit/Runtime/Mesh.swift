import CoreMetrics
public import Logging
import ServiceLifecycle
import Synchronization

/// A MeshKit runtime for one app: Dapr's state, pub/sub, invocation and secrets building blocks,
/// in process, with components chosen by configuration.
///
/// ```swift
/// let mesh = try await Mesh(appID: "order-service", resourcesPath: "./resources")
/// try await mesh.saveState(store: "statestore", key: "order-1", value: order)
/// try await mesh.publish(pubsub: "pubsub", topic: "order-created", value: order)
/// let reply = try await mesh.invoke(appID: "product-service", method: "products/42", httpMethod: .get)
/// ```
///
/// `Mesh` is a swift-service-lifecycle `Service`: run it in a `ServiceGroup` and its
/// subscriptions deliver until a graceful shutdown, which lets in-flight deliveries finish.
public final class Mesh: Sendable, CustomStringConvertible {
    /// The app ID, as `dapr run --app-id` gives it.
    public let appID: String
    /// The namespace, if any.
    public let namespace: String?
    /// Decides which inbound calls may reach the app's handlers, from the Istio
    /// `AuthorizationPolicy` resources that select it and Dapr's `accessControl`; transports
    /// consult it before a handler runs.
    public let authorizer: Authorizer
    /// The Istio `PeerAuthentication` resources, which ``peerAuthentication(port:)`` applies to
    /// this app.
    let peerAuthenticationPolicies: PeerAuthenticationPolicies
    let components: LoadedComponents
    let policies: PolicyRegistry
    /// The stack of the app's inbound calls, which every request it serves runs through, kept
    /// rather than looked up by target per request.
    let inboundStack: TargetStack
    let configuration: MeshConfiguration
    let remote: RemoteInvocation
    /// The mesh's logger: ``MeshConfiguration/logger`` with the `app.id` metadata. Servers,
    /// transports, registries and components that work for this mesh log through it, each
    /// adding metadata of its own.
    public let logger: Logger
    /// Whether calls make spans; read once per call.
    let tracing: MeshTracing
    /// The OpenTelemetry HTTP duration histograms of invocations.
    let invocationMetrics: InvocationMetrics
    let handlers = Mutex(HandlerTable())
    let subscriptionQueue: AsyncStream<SubscriptionResource>
    let subscriptionQueueInput: AsyncStream<SubscriptionResource>.Continuation

    /// Creates a mesh from a resources folder, as `dapr run --resources-path` does, plus whatever
    /// `configuration.resources` adds.
    public convenience init(appID: String, resourcesPath: String, configuration: MeshConfiguration = MeshConfiguration()) async throws {
        var configuration = configuration
        configuration.resources.merge(try ResourceLoader.load(directory: resourcesPath))
        try await self.init(appID: appID, configuration: configuration)
    }

    /// Creates a mesh from resources given in code; with none, it runs on the in-memory defaults
    /// (`statestore` and `pubsub`).
    public init(appID: String, configuration: MeshConfiguration = MeshConfiguration()) async throws {
        guard !appID.isEmpty, !appID.contains(StateKeyPrefix.separator) else {
            throw MeshError(.invalidConfiguration, "an app ID must be non-empty and must not contain '||'", context: .init(subject: appID))
        }
        try configuration.resources.validate()
        var logger = configuration.logger
        logger[metadataKey: "app.id"] = "\(appID)"
        let resources = configuration.resources.scoped(to: appID)
        let remote = try RemoteInvocation(configuration: configuration, resources: resources, logger: logger)
        var configuration = configuration
        configuration.remoteTransport = remote.transport
        self.appID = appID
        self.namespace = configuration.namespace
        self.configuration = configuration
        self.remote = remote
        self.logger = logger
        self.authorizer = Authorizer(
            resources: configuration.resources,
            workload: AuthorizationWorkload(
                appID: appID,
                namespace: configuration.namespace,
                labels: configuration.labels,
                rootNamespace: configuration.rootNamespace
            )
        )
        self.peerAuthenticationPolicies = PeerAuthenticationPolicies(resources: configuration.resources)
        self.tracing = MeshTracing(resources: resources)
        self.invocationMetrics = InvocationMetrics(factory: configuration.metricsFactory ?? MetricsSystem.factory)
        do {
            self.policies = try PolicyRegistry(resources: resources, configuration: configuration, logger: logger)
            self.inboundStack = policies.stack(for: .appInbound(appID))
            self.components = try await ComponentLoader(appID: appID, configuration: configuration, logger: logger)
                .load(resources.components)
        } catch {
            await remote.shutdown()
            throw error
        }
        (self.subscriptionQueue, self.subscriptionQueueInput) = AsyncStream.makeStream()
        for applied in resources.configurations {
            if !applied.ignoredSections.isEmpty {
                logger.debug(
                    "Configuration sections MeshKit does not apply were ignored",
                    metadata: ["sections": "\(applied.ignoredSections)", "configuration": "\(applied.header.name)"]
                )
            }
            if let exporters = applied.tracing?.exporters, !exporters.isEmpty {
                logger.debug(
                    "tracing exporter settings are for the app's tracer backend: MeshKit's spans go to swift-distributed-tracing",
                    metadata: ["exporters": "\(exporters)", "configuration": "\(applied.header.name)"]
                )
            }
        }
        for subscription in resources.subscriptions {
            try await addSubscription(subscription)
        }
        try configuration.network.register(self)
    }

    /// The queue of mirrored copies of calls, sent while the mesh runs.
    var mirrors: MirrorSender { policies.mirrors }

    /// The filters of the calls to `target`, as the mesh built them from the resources (and
    /// ``MeshConfiguration/editStack`` edited them); for an app a VirtualService routes, those
    /// of its first route.
    public func callStack(for target: PolicyTarget) -> CallStack {
        if case .app(let appID) = target.kind, policies.rules.virtualService(for: appID) != nil {
            return policies.stack(for: target, route: 0).stack
        }
        return policies.stack(for: target).stack
    }

    /// The resolver of app IDs: the remote transport's, which the mesh built from a
    /// `Configuration`'s `nameResolution` section unless ``MeshConfiguration/remoteTransport``
    /// was given; `nil` when there is neither.
    public var nameResolver: (any NameResolver)? { remote.resolver }

    /// `Mesh(app-id)`, as swift-service-lifecycle names the service in its logs.
    public var description: String { "Mesh(\(appID))" }

    /// The `Configuration` resources that apply to this app.
    public var appliedConfigurations: [ConfigurationResource] {
        configuration.resources.scoped(to: appID).configurations
    }
}

/// What the app has registered with the mesh.
struct HandlerTable {
    var literalMethods: [String: MethodRegistration] = [:]
    var patternMethods: [MethodRegistration] = []
    var topicRoutes: [String: TopicHandler] = [:]
    var subscriptions: [String: SubscriptionResource] = [:]
    var isRunning = false
    var isStopping = false
    var isShutDown = false
}

/// A method handler and the pattern and HTTP methods it answers.
struct MethodRegistration: Sendable {
    let pattern: MethodPattern
    let httpMethods: Set<String>?
    let handler: InvocationHandler
}
