/// Which of MeshKit's modules provides a component type or name resolver the core does not, so
/// that an error about an unknown one says what to import.
struct ProvidingModule: Sendable {
    /// The module, such as `MeshKitRedis`.
    let module: String
    /// The call on ``ComponentRegistry`` that registers its types, such as `registerRedis()`.
    let registration: String

    /// Component types, lowercased, by the module that provides them.
    static let componentTypes: [String: ProvidingModule] = [
        "state.redis": .redis,
        "pubsub.redis": .redis,
        "pubsub.rabbitmq": ProvidingModule(module: "MeshKitRabbitMQ", registration: "registerRabbitMQ()"),
    ]

    /// Name resolver components by the module that provides them.
    static let nameResolvers: [String: ProvidingModule] = [
        "redis": .redis
    ]

    /// Dapr's building blocks that MeshKit does not have, by the type prefix of their components.
    static let missingBuildingBlocks: [String: String] = [
        "bindings": "input and output bindings",
        "configuration": "the configuration API",
        "lock": "distributed locks",
        "crypto": "cryptography",
        "workflow": "workflows",
        "middleware": "HTTP middleware",
        "conversation": "the conversation API",
    ]

    private static let redis = ProvidingModule(module: "MeshKitRedis", registration: "registerRedis()")

    /// The sentence an error adds: what to import and call.
    var hint: String {
        "the module \(module) provides it: add the product \(module) of the package MeshKit, import \(module) and call configuration.registry.\(registration)"
    }

    /// The hint for a component `type` no factory is registered for: the module that provides
    /// it, or the building block MeshKit lacks, or nothing.
    static func hint(forComponentType type: String) -> String? {
        let lowercased = type.lowercased()
        if let provider = componentTypes[lowercased] { return provider.hint }
        if let prefix = lowercased.split(separator: ".", maxSplits: 1).first, let block = missingBuildingBlocks[String(prefix)] {
            return "MeshKit has no component for \(block)"
        }
        return nil
    }
}
