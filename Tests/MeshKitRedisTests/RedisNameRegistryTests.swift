import Foundation
import Logging
import MeshKit
import MeshKitRedis
import MeshKitTesting
import ServiceLifecycle
import Testing

@Suite("the Redis name registry")
struct RedisNameRegistryTests {
    /// A registry on `redis` that never caches, so every resolve reads Redis.
    static func registry(_ redis: RedisServer, ttl: Duration = .seconds(2)) throws -> RedisNameRegistry {
        try RedisNameRegistry(redisHost: redis.address, settings: .init(ttl: ttl, heartbeatInterval: .milliseconds(200), cacheTTL: .zero))
    }

    @Test("registered instances resolve in a stable order; one that stops gracefully leaves at once")
    func registerAndLeave() async throws {
        try await withRedis { redis in
            let registry = try Self.registry(redis)
            let first = Endpoint(host: "10.0.0.1", port: 3501, labels: ["version": "v1"])
            let second = Endpoint(host: "10.0.0.2", port: 3501, style: .direct)
            let firstTask = Task { try await registry.registration(appID: "inventory", endpoint: first).run() }
            let secondTask = Task { try await registry.registration(appID: "inventory") { second }.run() }
            try await eventually("both instances are registered") {
                try await registry.resolve(appID: "inventory") == [first, second]
            }
            #expect(try await registry.resolve(appID: "nobody").isEmpty)

            // The layout: one sorted set per app, with a TTL of its own.
            let members = try await redis.cli("ZRANGE", "meshkit-registry||inventory", "0", "-1")
            #expect(members.contains(#""host":"10.0.0.1""#) && members.contains(#""version":"v1""#))
            let ttl = Int(try await redis.cli("PTTL", "meshkit-registry||inventory").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            #expect(ttl > 0 && ttl <= 2000)

            firstTask.cancel()
            try await firstTask.value
            #expect(try await registry.resolve(appID: "inventory") == [second], "the stopped instance deregistered itself")
            secondTask.cancel()
            try await secondTask.value
            #expect(try await registry.resolve(appID: "inventory").isEmpty)
        }
    }

    @Test("an entry whose heartbeats stop disappears once its TTL passes on the Redis clock")
    func deadInstanceExpires() async throws {
        try await withRedis { redis in
            let registry = try Self.registry(redis)
            // An instance on another machine that wrote one heartbeat with a 1.5s TTL, then died.
            let time = try await redis.cli("TIME").split(whereSeparator: \.isNewline).compactMap { Int($0) }
            let now = time[0] * 1000 + time[1] / 1000
            try await redis.cli(
                "ZADD",
                "meshkit-registry||inventory",
                "\(now + 1500)",
                #"{"host":"10.0.0.9","port":80,"scheme":"http","style":"meshKit"}"#
            )
            #expect(try await registry.resolve(appID: "inventory") == [Endpoint(host: "10.0.0.9", port: 80)])
            try await eventually("the dead instance is gone") { try await registry.resolve(appID: "inventory").isEmpty }
        }
    }

    @Test("entries that are not endpoints are skipped, not fatal")
    func foreignEntriesAreSkipped() async throws {
        try await withRedis { redis in
            let registry = try Self.registry(redis)
            try await redis.cli("ZADD", "meshkit-registry||inventory", "+inf", "not json")
            try await redis.cli(
                "ZADD",
                "meshkit-registry||inventory",
                "+inf",
                #"{"host":"10.0.0.3","port":99999,"scheme":"http","style":"meshKit"}"#
            )
            try await redis.cli(
                "ZADD",
                "meshkit-registry||inventory",
                "+inf",
                #"{"host":"10.0.0.4","port":8080,"scheme":"https","style":"dapr"}"#
            )
            #expect(try await registry.resolve(appID: "inventory") == [Endpoint(host: "10.0.0.4", port: 8080, scheme: .https)])
        }
    }

    @Test("a cached resolve is reused until the cache TTL passes")
    func cachedResolve() async throws {
        try await withRedis { redis in
            let registry = try RedisNameRegistry(redisHost: redis.address, settings: .init(cacheTTL: .seconds(60)))
            #expect(registry.knownEndpoints(appID: "inventory") == nil, "nothing is known before the first lookup")
            #expect(try await registry.resolve(appID: "inventory").isEmpty)
            #expect(registry.knownEndpoints(appID: "inventory") == [], "the fresh answer is known without a lookup")
            try await redis.cli(
                "ZADD",
                "meshkit-registry||inventory",
                "+inf",
                #"{"host":"10.0.0.5","port":80,"scheme":"http","style":"meshKit"}"#
            )
            #expect(try await registry.resolve(appID: "inventory").isEmpty, "the cached answer is still fresh")
            let fresh = try RedisNameRegistry(redisHost: redis.address, settings: .init(cacheTTL: .zero))
            #expect(try await fresh.resolve(appID: "inventory").count == 1)
            #expect(fresh.knownEndpoints(appID: "inventory") == nil, "without a cache, only a lookup can tell")
        }
    }

    @Test("the redis resolver is configured from a Configuration's nameResolution section; bad settings name their field")
    func configuredFromNameResolution() async throws {
        try await withRedis { redis in
            let yaml = """
                apiVersion: dapr.io/v1alpha1
                kind: Configuration
                metadata:
                  name: registry
                spec:
                  nameResolution:
                    component: redis
                    configuration:
                      redisHost: "\(redis.address)"
                      ttl: 4s
                      cacheTTL: "0"
                """
            let resources = try ResourceLoader.parse(yaml: yaml, file: "config.yaml")
            let resolver = try #require(try NameResolverFactory.withRedis.makeResolver(resources: resources) as? RedisNameRegistry)
            #expect(resolver.settings.ttl == .seconds(4))
            #expect(resolver.settings.heartbeatInterval == .seconds(4) / 3)
            #expect(try await resolver.resolve(appID: "inventory").isEmpty)

            let slowHeartbeat = ConfigurationResource.NameResolution(
                component: "redis",
                configuration: .object(["redisHost": .string(redis.address), "ttl": .string("2s"), "heartbeatInterval": .string("5s")])
            )
            let error = try #require(throws: MeshError.self) { try NameResolverFactory.withRedis.makeResolver(slowHeartbeat) }
            #expect(error.code == .invalidMetadata)
            #expect(error.context.field == "spec.nameResolution.configuration.heartbeatInterval")

            let inCode = try #require(throws: MeshError.self) {
                try RedisNameRegistry(redisHost: redis.address, settings: .init(ttl: .seconds(1), heartbeatInterval: .seconds(2)))
            }
            #expect(inCode.code == .invalidConfiguration)

            let noHost = ConfigurationResource.NameResolution(component: "redis", configuration: nil)
            let missing = try #require(throws: MeshError.self) { try NameResolverFactory.withRedis.makeResolver(noHost) }
            #expect(missing.code == .missingMetadata)
            #expect(missing.message.contains("redisHost"))

            let unknown = try #require(throws: MeshError.self) {
                try NameResolverFactory.builtIn.makeResolver(.init(component: "redis", configuration: nil))
            }
            #expect(unknown.code == .unknownComponentType)
            #expect(unknown.message.contains("dns, static"))
        }
    }

    @Test("while Redis is down resolving fails with a typed error; the registration keeps beating and reappears after a restart")
    func redisDown() async throws {
        try await withRedis { redis in
            var quiet = Logger(label: "registry")
            quiet.logLevel = .critical
            let registry = try RedisNameRegistry(
                redisHost: redis.address,
                settings: .init(ttl: .seconds(2), heartbeatInterval: .milliseconds(100), cacheTTL: .zero),
                logger: quiet
            )
            let endpoint = Endpoint(host: "10.0.0.1", port: 3501)
            let registration = Task { try await registry.registration(appID: "inventory", endpoint: endpoint).run() }
            try await eventually("the instance is registered") { try await registry.resolve(appID: "inventory") == [endpoint] }

            await redis.kill()
            let error = try await #require(throws: MeshError.self) { try await registry.resolve(appID: "inventory") }
            #expect(error.code == .unavailable)

            // The restarted server kept nothing (no persistence): only a new heartbeat brings the entry back.
            try await redis.restart()
            try await eventually("the heartbeat registered the instance again") {
                (try? await registry.resolve(appID: "inventory")) == [endpoint]
            }
            registration.cancel()
            try await registration.value
        }
    }
}
