/// Finds the endpoints of an app ID.
///
/// ``StaticNameResolver`` and ``DNSNameResolver`` are built in; a registry-backed resolver (such
/// as MeshKitRedis's `RedisNameRegistry`) implements this protocol too and registers its component name with
/// ``NameResolverFactory``.
public protocol NameResolver: Shutdownable {
    /// The endpoints of `appID`, in a stable order; empty when the app is unknown. Throws when
    /// the lookup itself fails.
    func resolve(appID: String) async throws -> [Endpoint]

    /// The endpoints of `appID` when this resolver knows them without waiting (a fixed table's,
    /// a cache entry still fresh), or `nil` when only ``resolve(appID:)`` can tell. The balancer
    /// then picks inline, with no suspension. The default is `nil`.
    func knownEndpoints(appID: String) -> [Endpoint]?
}

extension NameResolver {
    public func knownEndpoints(appID: String) -> [Endpoint]? { nil }
}
