public import MeshKit

extension ComponentRegistry {
    /// Registers `pubsub.rabbitmq`.
    ///
    /// ```swift
    /// var configuration = MeshConfiguration()
    /// configuration.registry.registerRabbitMQ()
    /// let mesh = try await Mesh(appID: "orders", resourcesPath: "./resources", configuration: configuration)
    /// ```
    public mutating func registerRabbitMQ() {
        registerPubSub(RabbitMQPubSub.componentType) { context in
            try RabbitMQPubSub(context: context)
        }
    }

    /// The built-in types plus `pubsub.rabbitmq`.
    public static var withRabbitMQ: ComponentRegistry {
        var registry = ComponentRegistry.builtIn
        registry.registerRabbitMQ()
        return registry
    }
}
