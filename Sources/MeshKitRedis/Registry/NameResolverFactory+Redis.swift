public import MeshKit

extension NameResolverFactory {
    /// Registers the `redis` name resolver, ``RedisNameRegistry``, which reads Dapr's Redis
    /// connection fields and ``RedisNameRegistry/Settings`` from the section's `configuration`.
    public mutating func registerRedis() {
        register(RedisNameRegistry.componentName) { configuration in
            try RedisNameRegistry(metadata: ComponentMetadata(nameResolution: configuration, component: RedisNameRegistry.componentName))
        }
    }

    /// The built-in resolvers plus `redis`.
    public static var withRedis: NameResolverFactory {
        var factory = NameResolverFactory.builtIn
        factory.registerRedis()
        return factory
    }
}
