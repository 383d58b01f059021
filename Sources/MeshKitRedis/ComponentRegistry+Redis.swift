public import MeshKit

extension ComponentRegistry {
    /// Registers `state.redis` and `pubsub.redis`.
    ///
    /// ```swift
    /// var configuration = MeshConfiguration()
    /// configuration.registry.registerRedis()
    /// let mesh = try await Mesh(appID: "orders", resourcesPath: "./resources", configuration: configuration)
    /// ```
    public mutating func registerRedis() {
        registerStateStore(RedisStateStore.componentType) { context in
            try RedisStateStore(context: context)
        }
        registerPubSub(RedisPubSub.componentType) { context in
            try RedisPubSub(context: context)
        }
    }

    /// The built-in types plus `state.redis` and `pubsub.redis`.
    public static var withRedis: ComponentRegistry {
        var registry = ComponentRegistry.builtIn
        registry.registerRedis()
        return registry
    }
}
