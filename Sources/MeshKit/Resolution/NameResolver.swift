/// Finds the endpoints of an app ID.
///
/// ``StaticNameResolver`` and ``DNSNameResolver`` are built in; a registry-backed resolver (such
/// as MeshKitRedis's `RedisNameRegistry`) implements this protocol too and registers its component name with
/// ``NameResolverFactory``.
public protocol NameResolver: Shutdownable {
    /// The endpoints of `appID`, in a stable order; empty when the app is unknown. Throws when
    /// the lookup itself fails.
    func resolve(appID: String) async throws -> [Endpoint]
}
