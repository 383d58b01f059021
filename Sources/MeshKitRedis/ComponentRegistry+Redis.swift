public import MeshKit

extension ComponentRegistry {
    /// Registers `state.redis`, `pubsub.redis` and the `redis` name resolver
    /// (``RedisNameRegistry``), which a `Configuration`'s `nameResolution` section can name.
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
        nameResolvers.registerRedis()
    }

    /// The built-in types plus `state.redis`, `pubsub.redis` and the `redis` name resolver.
    public static var withRedis: ComponentRegistry {
        var registry = ComponentRegistry.builtIn
        registry.registerRedis()
        return registry
    }
}
