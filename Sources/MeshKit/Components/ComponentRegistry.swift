/// The component types a mesh can create, keyed by Dapr type strings such as `state.in-memory`.
///
/// The core registers its in-memory and local types in ``builtIn``; backend modules add theirs
/// (for example `MeshKitRedis` adds `state.redis` and `pubsub.redis`):
///
/// ```swift
/// var registry = ComponentRegistry.builtIn
/// registry.registerStateStore("state.custom") { context in try MyStore(context) }
/// ```
public struct ComponentRegistry: Sendable {
    /// Creates a component from its context.
    public typealias Factory<Component> = @Sendable (ComponentContext) async throws -> Component

    private(set) var stateStores: [String: Factory<any StateStore>] = [:]
    private(set) var pubSubs: [String: Factory<any PubSub>] = [:]
    private(set) var secretStores: [String: Factory<any SecretStore>] = [:]
    /// The name resolvers a `Configuration`'s `nameResolution` section can name; ``builtIn``
    /// knows `static` and `dns`, and backend modules add theirs (`MeshKitRedis` adds `redis`).
    public var nameResolvers: NameResolverFactory = NameResolverFactory()

    /// An empty registry.
    public init() {}

    /// The types MeshKit's core provides: `state.in-memory`, `pubsub.in-memory`,
    /// `secretstores.local.env` and `secretstores.local.file`, and the name resolvers `static`
    /// and `dns`.
    public static let builtIn: ComponentRegistry = {
        var registry = ComponentRegistry()
        registry.nameResolvers = .builtIn
        registry.registerStateStore(InMemoryStateStore.componentType) { context in
            InMemoryStateStore.shared(for: context)
        }
        registry.registerPubSub(InMemoryPubSub.componentType) { context in
            try InMemoryPubSub.shared(for: context)
        }
        registry.registerSecretStore(LocalEnvironmentSecretStore.componentType) { context in
            LocalEnvironmentSecretStore(context: context)
        }
        registry.registerSecretStore(LocalFileSecretStore.componentType) { context in
            try LocalFileSecretStore(context: context)
        }
        return registry
    }()

    /// Registers a state store type, replacing any factory already registered for it.
    public mutating func registerStateStore(_ type: String, factory: @escaping Factory<any StateStore>) {
        stateStores[type] = factory
    }

    /// Registers a pub/sub type, replacing any factory already registered for it.
    public mutating func registerPubSub(_ type: String, factory: @escaping Factory<any PubSub>) {
        pubSubs[type] = factory
    }

    /// Registers a secret store type, replacing any factory already registered for it.
    public mutating func registerSecretStore(_ type: String, factory: @escaping Factory<any SecretStore>) {
        secretStores[type] = factory
    }

    /// Registers (or replaces) the name resolver a `nameResolution` section names `component`.
    public mutating func registerNameResolver(_ component: String, make: @escaping NameResolverFactory.Make) {
        nameResolvers.register(component, make: make)
    }

    /// Every registered type, sorted.
    public var knownTypes: [String] {
        (Array(stateStores.keys) + Array(pubSubs.keys) + Array(secretStores.keys)).sorted()
    }

    /// The building block a type string belongs to, from its prefix.
    enum BuildingBlock: String, Sendable {
        case state, pubsub, secretstores
    }

    static func buildingBlock(of type: String) -> BuildingBlock? {
        type.split(separator: ".", maxSplits: 1).first.flatMap { BuildingBlock(rawValue: String($0)) }
    }

    /// The error for a type no factory is registered for.
    func unknownType(_ component: ComponentResource) -> MeshError {
        let hint = ProvidingModule.hint(forComponentType: component.type).map { " (\($0))" } ?? ""
        return MeshError(
            .unknownComponentType,
            "the component '\(component.name)' has type '\(component.type)', which MeshKit does not know\(hint); known types: \(knownTypes.joined(separator: ", "))",
            context: .init(
                file: component.header.source?.file,
                line: component.header.source?.line,
                field: "spec.type",
                component: component.name
            )
        )
    }
}
