public import MeshKit

extension RemoteTransportFactory {
    /// An ``HTTPInvocationTransport`` with `configuration`, resolving app IDs with the resolver
    /// of the mesh's `Configuration` (`spec.nameResolution`).
    ///
    /// ```swift
    /// var configuration = MeshConfiguration(registry: .withRedis)
    /// configuration.remoteTransportFactory = .http()
    /// ```
    public static func http(_ configuration: HTTPInvocationTransport.Configuration = .init()) -> RemoteTransportFactory {
        RemoteTransportFactory { resolver in
            try HTTPInvocationTransport(resolver: resolver, configuration: configuration)
        }
    }
}
