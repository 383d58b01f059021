import Foundation
public import Logging
public import MeshKit
public import ServiceLifecycle
import Synchronization

/// A name registry in Redis: instances register themselves with a heartbeat and a TTL, and every
/// MeshKit app that shares the Redis resolves them, so services find each other across machines
/// with no other server.
///
/// ```swift
/// let registry = try RedisNameRegistry(redisHost: "redis.internal:6379")
/// let transport = try HTTPInvocationTransport(resolver: registry)
/// let announcement = registry.registration(appID: "product-service") {
///     Endpoint(host: "10.0.0.7", port: try await server.boundPort())
/// }
/// let group = ServiceGroup(services: [mesh, server, announcement], logger: logger)
/// ```
///
/// From a Dapr `Configuration` resource, once `configuration.registry.registerRedis()` (or
/// `MeshConfiguration(registry: .withRedis)`) has added the `redis` resolver; the mesh builds the
/// registry by itself and ``MeshKit/Mesh/announcement(endpoint:)`` registers the app in it:
///
/// ```yaml
/// spec:
///   nameResolution:
///     component: redis
///     configuration: { redisHost: "localhost:6379", ttl: 10s, heartbeatInterval: 3s }
/// ```
///
/// An instance that stops gracefully leaves at once; one that dies leaves when its TTL runs out,
/// measured on the Redis server's clock. Dapr has no Redis name resolver, so the layout is
/// MeshKit's own: see ``Settings/keyPrefix`` and the README.
public final class RedisNameRegistry: NameResolver {
    /// The component name in a `nameResolution` section.
    public static let componentName = "redis"

    /// The TTL, heartbeat and cache settings.
    public let settings: Settings
    let client: RedisClient
    let logger: Logger
    private let cache = Mutex<[String: CachedEndpoints]>([:])

    private struct CachedEndpoints {
        var endpoints: [Endpoint]
        var fetched: ContinuousClock.Instant
    }

    /// Creates a registry from Dapr's Redis connection metadata (`redisHost`, `redisPassword`,
    /// `redisDB`, the timeouts…) plus ``Settings``' fields; a bad value throws an error naming it.
    public convenience init(metadata: ComponentMetadata, logger: Logger = Logger(label: "meshkit.redis.registry")) throws(MeshError) {
        let options = try RedisConnectionOptions(metadata: metadata)
        let settings = try Settings(metadata: metadata)
        metadata.logUnknownFields(known: RedisConnectionOptions.metadataNames.union(Settings.metadataNames), logger: logger)
        try self.init(options: options, settings: settings, logger: logger)
    }

    /// Creates a registry on the Redis at `redisHost` (`host:port` or a Unix socket path).
    public convenience init(
        redisHost: String,
        password: String? = nil,
        settings: Settings = Settings(),
        logger: Logger = Logger(label: "meshkit.redis.registry")
    ) throws(MeshError) {
        var values = ["redisHost": redisHost]
        values["redisPassword"] = password
        let options = try RedisConnectionOptions(metadata: ComponentMetadata(values, componentName: "nameResolution redis"))
        try self.init(options: options, settings: settings, logger: logger)
    }

    /// Throws ``MeshError/Code/invalidConfiguration`` unless the heartbeat comes round within the
    /// TTL: live instances would otherwise flicker out of the registry.
    init(options: RedisConnectionOptions, settings: Settings, logger: Logger) throws(MeshError) {
        guard settings.heartbeatInterval > .zero, settings.heartbeatInterval < settings.ttl, settings.cacheTTL >= .zero else {
            throw MeshError(
                .invalidConfiguration,
                "the Redis name registry needs 0 < heartbeatInterval (\(settings.heartbeatInterval)) < ttl (\(settings.ttl)) and cacheTTL >= 0"
            )
        }
        self.settings = settings
        self.client = RedisClient(options: options)
        self.logger = logger
    }

    /// The live endpoints of `appID`, in a stable order. Throws ``MeshError/Code/unavailable``
    /// when Redis cannot be reached.
    public func resolve(appID: String) async throws -> [Endpoint] {
        if let known = knownEndpoints(appID: appID) { return known }
        let now = ContinuousClock.now
        let reply = try await RedisRegistryScripts.live.run(.init(keys: [key(appID)], arguments: []), on: client)
        guard let members = reply.elements else {
            throw MeshError(
                .unavailable,
                "Redis could not list the instances of '\(appID)': \(reply.errorMessage ?? "\(reply)")",
                context: .init(subject: appID)
            )
        }
        var endpoints: [Endpoint] = []
        for member in members {
            guard case .data(let bytes) = member, let endpoint = RegisteredEndpoint.endpoint(from: bytes) else {
                logger.warning("skipping a registry entry that is not an endpoint", metadata: ["app": "\(appID)", "entry": "\(member)"])
                continue
            }
            endpoints.append(endpoint)
        }
        endpoints.sort { ($0.host, $0.port) < ($1.host, $1.port) }
        if settings.cacheTTL > .zero {
            cache.withLock { $0[appID] = CachedEndpoints(endpoints: endpoints, fetched: now) }
        }
        return endpoints
    }

    /// The instances of `appID` while the cache holds a fresh answer (never with a `cacheTTL` of 0).
    public func knownEndpoints(appID: String) -> [Endpoint]? {
        guard settings.cacheTTL > .zero, let cached = cache.withLock({ $0[appID] }),
            ContinuousClock.now - cached.fetched < settings.cacheTTL
        else { return nil }
        return cached.endpoints
    }

    /// Closes the registry's connections and ends their threads; later calls fail with
    /// ``MeshError/Code/cancelled``. Shut the registry down after the registrations that use it
    /// have stopped, or they cannot leave the registry.
    public func shutdown() async {
        await client.shutdown()
    }

    /// A service that keeps `endpoint` registered under `appID` while it runs; see
    /// ``RedisNameRegistration``.
    public func registration(appID: String, endpoint: Endpoint) -> RedisNameRegistration {
        RedisNameRegistration(registry: self, appID: appID) { endpoint }
    }

    /// A service that keeps an endpoint registered under `appID` while it runs, asking
    /// `endpoint` for it once, when it starts (after the server has bound its port, say).
    public func registration(appID: String, endpoint: @escaping @Sendable () async throws -> Endpoint) -> RedisNameRegistration {
        RedisNameRegistration(registry: self, appID: appID, endpoint: endpoint)
    }

    /// A service that keeps `mesh`'s endpoint registered under its app ID while it runs, logging
    /// through the mesh's logger (``Mesh/logger``); `endpoint` is asked once, when it starts.
    public func registration(of mesh: Mesh, endpoint: @escaping @Sendable () async throws -> Endpoint) -> RedisNameRegistration {
        RedisNameRegistration(registry: self, appID: mesh.appID, logger: mesh.logger, endpoint: endpoint)
    }

    /// Adds or renews `member` under `appID`.
    func heartbeat(appID: String, member: Data) async throws {
        let call = RedisScript.Call(keys: [key(appID)], arguments: [.data(member), .int(settings.ttl.wholeMilliseconds)])
        let reply = try await RedisRegistryScripts.heartbeat.run(call, on: client)
        if let message = reply.errorMessage {
            throw MeshError(.unavailable, "Redis refused the registration of '\(appID)': \(message)", context: .init(subject: appID))
        }
        cache.withLock { $0[appID] = nil }
    }

    /// Removes `member` from `appID`'s entries, even when the calling task is cancelled (a
    /// registration leaves when its service is cancelled).
    func deregister(appID: String, member: Data) async throws {
        let reply = try await client.sendIgnoringCancellation(RedisCommand("ZREM", [.string(key(appID)), .data(member)]))
        if let message = reply.errorMessage {
            throw MeshError(.unavailable, "Redis refused to remove an instance of '\(appID)': \(message)", context: .init(subject: appID))
        }
        cache.withLock { $0[appID] = nil }
    }

    private func key(_ appID: String) -> String {
        settings.keyPrefix + appID
    }
}

extension RedisNameRegistry: NameRegistry {
    /// A ``RedisNameRegistration`` of `appID`; the endpoint is asked for once, when it starts.
    public func announcement(appID: String, endpoint: @escaping @Sendable () async throws -> Endpoint) -> any Service {
        registration(appID: appID, endpoint: endpoint)
    }
}
