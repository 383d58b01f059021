import Foundation
import Logging
import MeshKit
public import ServiceLifecycle

/// Keeps one instance registered in a ``RedisNameRegistry`` while it runs: it registers at
/// start, renews the entry every ``RedisNameRegistry/Settings/heartbeatInterval``, and removes it
/// on a graceful shutdown or cancellation.
///
/// A Redis outage does not stop the service: failed heartbeats are logged and tried again on the
/// next beat, and the instance reappears as soon as Redis answers. Run it in the same
/// `ServiceGroup` as the server whose endpoint it announces.
public struct RedisNameRegistration: Service, CustomStringConvertible {
    /// The registry.
    public let registry: RedisNameRegistry
    /// The app ID the instance registers under.
    public let appID: String
    private let endpoint: @Sendable () async throws -> Endpoint
    private let logger: Logger

    init(registry: RedisNameRegistry, appID: String, logger: Logger? = nil, endpoint: @escaping @Sendable () async throws -> Endpoint) {
        self.registry = registry
        self.appID = appID
        self.endpoint = endpoint
        var logger = logger ?? registry.logger
        logger[metadataKey: "component"] = "nameresolution.redis"
        self.logger = logger
    }

    /// `RedisNameRegistration(app-id)`, as swift-service-lifecycle names the service in its logs.
    public var description: String { "RedisNameRegistration(\(appID))" }

    /// Registers the endpoint and renews it until a graceful shutdown or cancellation, then
    /// removes it. Throws only when the endpoint itself cannot be had.
    public func run() async throws {
        let announced = try await endpoint()
        let member: Data
        do {
            member = try RegisteredEndpoint(announced).encoded()
        } catch {
            throw MeshError(.invalidConfiguration, "the endpoint \(announced) cannot be encoded: \(error)", underlying: error)
        }
        var logger = logger
        logger[metadataKey: "app"] = "\(appID)"
        logger[metadataKey: "endpoint"] = "\(announced)"
        var registered = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await registry.heartbeat(appID: appID, member: member)
                if !registered { logger.debug("registered in the Redis name registry") }
                registered = true
            } catch {
                logger.warning("the Redis name registry heartbeat failed; trying again", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: registry.settings.heartbeatInterval) }
        }
        do {
            try await registry.deregister(appID: appID, member: member)
            logger.debug("left the Redis name registry")
        } catch {
            logger.warning("leaving the Redis name registry failed; the entry expires with its TTL", metadata: ["error": "\(error)"])
        }
    }
}
