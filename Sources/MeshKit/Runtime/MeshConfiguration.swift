public import CoreMetrics
public import Foundation
public import Logging

/// How a ``Mesh`` is built: resources given in code, the component registry, and the services
/// it uses. Every property has a default that runs on in-memory components with no server.
public struct MeshConfiguration: Sendable {
    /// The namespace, for the `namespace` key-prefix mode (Dapr's `NAMESPACE`).
    public var namespace: String?
    /// The app's labels, which `selector.matchLabels` of Istio policies compare with;
    /// `nil` means `app: <app ID>`.
    public var labels: [String: String]?
    /// The namespace whose Istio policies apply to the whole mesh: `istio-system`, as Istio's
    /// `meshConfig.rootNamespace` defaults to.
    public var rootNamespace: String
    /// Resources given in code; with a resources folder, both are used.
    public var resources: ResourceSet
    /// The component types the mesh can create.
    public var registry: ComponentRegistry
    /// The apps this mesh can call in process, and the in-memory components they share. A new
    /// configuration has a network of its own; meshes that should call each other in process
    /// share one.
    public var network: InProcessNetwork
    /// How to reach apps outside this process, a transport the app created and shuts down; `nil`
    /// leaves it to ``remoteTransportFactory``, or confines invocation to this process.
    public var remoteTransport: (any InvocationTransport)?
    /// Makes the remote transport from the resolver of a `Configuration` resource's
    /// `nameResolution` section, when ``remoteTransport`` is `nil`: `.http()` from `MeshKitHTTP`.
    /// The mesh creates the resolver and the transport, and shuts them down with itself. Setting
    /// it without any `nameResolution` section is an error at start-up.
    public var remoteTransportFactory: RemoteTransportFactory?
    /// The encoder of every value the mesh turns into JSON: state values, published events and
    /// invocation bodies. The default sorts keys, so equal values give equal bytes. Not mutated
    /// by the mesh; do not mutate it once the mesh is created.
    public var jsonEncoder: JSONEncoder
    /// The decoder of every JSON value the mesh reads back for the app (`getState(…as:)`,
    /// `invoke(…as:)`, `updateState`).
    public var jsonDecoder: JSONDecoder
    /// Whether a mesh created with no resources at all (none in code, none in a folder) gets an
    /// in-memory `statestore` and `pubsub`, so it works at once. A mesh given any resource gets
    /// no defaults: a building block without a component fails with Dapr's "not found" code
    /// rather than fall back silently to an in-memory component no other process can see.
    public var addsInMemoryDefaults: Bool
    /// The inbound retry policy of subscriptions that no `Resiliency` resource covers: constant
    /// 1s, 3 retries. Dapr leaves this to each broker; MeshKit makes it the same for all.
    public var defaultInboundRetry: RetryPolicy
    /// The retry budget every target with a retry policy gets unless its `Resiliency` target names
    /// another (`retryBudget:`): 20% of requests, at least 10 retries a second, over 10 seconds,
    /// as in Finagle and Linkerd. `nil` turns budgets off.
    public var retryBudget: RetryBudget.Configuration?
    /// The logger; MeshKit logs nothing above debug on the success path.
    public var logger: Logger
    /// Where metrics go; `nil` uses the factory bootstrapped in `MetricsSystem`.
    public var metricsFactory: (any MetricsFactory)?
    /// The wall clock for TTLs and message expiry.
    public var clock: WallClock
    /// The monotonic clock for circuit breakers, retry budgets and rate limits.
    public var monotonicClock: MonotonicClock
    /// Edits each target's ``CallStack`` once, when it is built from the resources: insert a
    /// filter of the app's own before or after a named one, replace or remove one.
    ///
    /// ```swift
    /// configuration.editStack = { stack, target in
    ///     stack.insert("audit", AuditFilter(), after: .retry)
    /// }
    /// ```
    public var editStack: (@Sendable (inout CallStack, PolicyTarget) -> Void)?

    /// Creates a configuration.
    public init(
        namespace: String? = nil,
        labels: [String: String]? = nil,
        rootNamespace: String = "istio-system",
        resources: ResourceSet = ResourceSet(),
        registry: ComponentRegistry = .builtIn,
        network: InProcessNetwork = InProcessNetwork(),
        remoteTransport: (any InvocationTransport)? = nil,
        remoteTransportFactory: RemoteTransportFactory? = nil,
        jsonEncoder: JSONEncoder = MeshConfiguration.defaultJSONEncoder(),
        jsonDecoder: JSONDecoder = JSONDecoder(),
        addsInMemoryDefaults: Bool = true,
        defaultInboundRetry: RetryPolicy = .constant(.seconds(1), maxRetries: 3),
        retryBudget: RetryBudget.Configuration? = .default,
        logger: Logger = Logger(label: "meshkit"),
        metricsFactory: (any MetricsFactory)? = nil,
        clock: WallClock = .system,
        monotonicClock: MonotonicClock = .system,
        editStack: (@Sendable (inout CallStack, PolicyTarget) -> Void)? = nil
    ) {
        self.namespace = namespace
        self.labels = labels
        self.rootNamespace = rootNamespace
        self.resources = resources
        self.registry = registry
        self.network = network
        self.remoteTransport = remoteTransport
        self.remoteTransportFactory = remoteTransportFactory
        self.jsonEncoder = jsonEncoder
        self.jsonDecoder = jsonDecoder
        self.addsInMemoryDefaults = addsInMemoryDefaults
        self.defaultInboundRetry = defaultInboundRetry
        self.retryBudget = retryBudget
        self.logger = logger
        self.metricsFactory = metricsFactory
        self.clock = clock
        self.monotonicClock = monotonicClock
        self.editStack = editStack
    }
}

extension MeshConfiguration {
    /// A new encoder with sorted keys, the default of ``jsonEncoder``.
    public static func defaultJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
