/// A resolver with a fixed table: app ID → endpoints, each with its labels.
///
/// From a Dapr `Configuration`:
///
/// ```yaml
/// nameResolution:
///   component: static
///   configuration:
///     apps:
///       product-service:
///         - { host: 127.0.0.1, port: 3501, labels: { version: v1 } }
///         - { host: 127.0.0.1, port: 8080, style: direct, labels: { version: v2 } }
/// ```
public struct StaticNameResolver: NameResolver {
    /// The table.
    public var endpoints: [String: [Endpoint]]

    /// Creates a resolver with a fixed table.
    public init(_ endpoints: [String: [Endpoint]]) {
        self.endpoints = endpoints
    }

    public func resolve(appID: String) async throws -> [Endpoint] {
        endpoints[appID] ?? []
    }

    public func knownEndpoints(appID: String) -> [Endpoint]? {
        endpoints[appID] ?? []
    }
}
