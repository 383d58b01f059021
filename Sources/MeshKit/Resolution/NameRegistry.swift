public import ServiceLifecycle

/// A name resolver that instances register themselves in, such as MeshKitRedis's
/// `RedisNameRegistry`, as opposed to one whose endpoints are configured (`static`) or found
/// elsewhere (`dns`).
///
/// ``Mesh/announcement(endpoint:)`` uses it to announce an app in the registry its
/// `Configuration` names.
public protocol NameRegistry: NameResolver {
    /// A service that keeps `appID` registered at the endpoint `endpoint` returns (asked once,
    /// when the service starts) while it runs, and removes it when it stops.
    func announcement(appID: String, endpoint: @escaping @Sendable () async throws -> Endpoint) -> any Service
}
