/// Makes the transport to apps outside this process from the name resolver that a `Configuration`
/// resource's `nameResolution` section describes, so an app configures discovery in YAML, as Dapr
/// apps do, and never wires a resolver into a transport by hand.
///
/// `MeshKitHTTP` provides the HTTP one:
///
/// ```swift
/// import MeshKitHTTP
/// import MeshKitRedis
///
/// var configuration = MeshConfiguration(registry: .withRedis)
/// configuration.remoteTransportFactory = .http()
/// let mesh = try await Mesh(appID: "order-service", resourcesPath: "./resources", configuration: configuration)
/// ```
///
/// The mesh builds the resolver with its ``ComponentRegistry/nameResolvers``, calls the factory
/// once, and owns both: they shut down with the mesh.
public struct RemoteTransportFactory: Sendable {
    /// Makes a transport that resolves app IDs with the resolver it is given.
    public typealias Make = @Sendable (any NameResolver) throws -> any InvocationTransport

    private let make: Make

    /// Creates a factory.
    public init(_ make: @escaping Make) {
        self.make = make
    }

    /// The transport that resolves app IDs with `resolver`.
    public func makeTransport(resolver: any NameResolver) throws -> any InvocationTransport {
        try make(resolver)
    }
}
