import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting
import Testing

@Suite("state.redis and pubsub.redis with bad input")
struct RedisBadInputTests {
    @Test("a wrong password fails the call with an error about the credentials")
    func wrongPassword() async throws {
        try await withRedis(.init(password: "s3cret")) { redis in
            let wrong = try await makeRedisMesh(address: redis.address, state: ["redisPassword": "nope"])
            let error = await meshError { try await wrong.saveState(store: "statestore", key: "k", data: Data("v".utf8)) }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("credentials") == true)
            #expect(error?.message.contains("nope") == false)
            let right = try await makeRedisMesh(address: redis.address, state: ["redisPassword": "s3cret"])
            try await right.saveState(store: "statestore", key: "k", data: Data("v".utf8))
            #expect(try await right.getState(store: "statestore", key: "k")?.value == Data("v".utf8))
        }
    }

    @Test("a port nothing listens on fails the call as unavailable, naming the address")
    func wrongPort() async throws {
        let address = "127.0.0.1:\(try LoopbackPort.free())"
        let mesh = try await makeRedisMesh(address: address)
        let start = ContinuousClock.now
        let error = await meshError { _ = try await mesh.getState(store: "statestore", key: "k") }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains(address) == true)
        #expect(error?.message.contains("unreachable") == true)
        #expect(ContinuousClock.now - start < .seconds(3))
        let publish = await meshError { try await mesh.publish(pubsub: "pubsub", topic: "t", value: 1) }
        #expect(publish?.code == .unavailable)
    }

    @Test("a server that does not speak Redis fails the call as unavailable")
    func notRedis() async throws {
        let garbage = try RedisGarbageServer()
        defer { garbage.stop() }
        let mesh = try await makeRedisMesh(address: "127.0.0.1:\(garbage.port)", state: ["readTimeout": "1s"])
        let error = await meshError { try await mesh.saveState(store: "statestore", key: "k", data: Data("v".utf8)) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("Redis protocol") == true)
    }

    @Test("the seed order store loads, and its first call fails naming redis:6379")
    func seedOrderStore() async throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        try folder.copy(RedisSharedResources.path("seed-order-store.yaml"))
        var configuration = MeshConfiguration.testing()
        configuration.registry = .withRedis
        let mesh = try await Mesh(appID: "orders", resourcesPath: folder.path, configuration: configuration)
        let error = await meshError { try await mesh.saveState(store: "order-store", key: "o1", data: Data("x".utf8)) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("redis:6379") == true)
    }

    @Test("Dapr's statestore.yaml and pubsub.yaml load unchanged")
    func daprFilesLoad() async throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        try folder.copy(RedisSharedResources.path("statestore.yaml"))
        try folder.copy(RedisSharedResources.path("pubsub.yaml"))
        var configuration = MeshConfiguration.testing()
        configuration.registry.registerRedis()
        _ = try await Mesh(appID: "orders", resourcesPath: folder.path, configuration: configuration)
    }

    @Test(
        "a bad metadata value is rejected with an error naming the field",
        arguments: [
            ("redisDB", "one"), ("redisHost", "host:port"), ("poolSize", "0"), ("dialTimeout", "soon"),
            ("enableTLS", "true"), ("redisType", "cluster"), ("ttlInSeconds", "0"),
        ]
    )
    func badMetadata(field: String, value: String) async throws {
        let error = await meshError { _ = try await makeRedisMesh(address: "127.0.0.1:1", state: [field: value]) }
        #expect(error?.code == .invalidMetadata)
        #expect(error?.context.field == "spec.metadata.\(field)")
        #expect(error?.context.component == "statestore")
    }

    @Test(
        "a bad pub/sub metadata value is rejected with an error naming the field",
        arguments: [("queueDepth", "0"), ("concurrency", "many"), ("processingTimeout", "x"), ("maxLenApprox", "-5")]
    )
    func badPubSubMetadata(field: String, value: String) async throws {
        let error = await meshError { _ = try await makeRedisMesh(address: "127.0.0.1:1", pubsub: [field: value]) }
        #expect(error?.code == .invalidMetadata)
        #expect(error?.context.field == "spec.metadata.\(field)")
    }

    @Test("unknown metadata is accepted")
    func unknownMetadata() async throws {
        _ = try await makeRedisMesh(address: "127.0.0.1:1", state: ["someFutureDaprField": "x", "actorStateStore": "true"])
    }
}
