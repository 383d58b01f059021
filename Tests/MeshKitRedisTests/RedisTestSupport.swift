import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting

/// The Dapr resource files shared with every checkout (`../shared/dapr-resources`).
enum RedisSharedResources {
    static func path(_ name: String) -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/dapr-resources/\(name)").path
    }
}

/// A mesh whose `statestore` and `pubsub` are Redis components pointed at `address`, with the
/// resiliency policies given.
func makeRedisMesh(
    appID: String = "orders",
    address: String,
    state: [String: String] = [:],
    pubsub: [String: String] = [:],
    resiliencies: [ResiliencyResource] = [],
    network: InProcessNetwork = InProcessNetwork()
) async throws -> Mesh {
    var configuration = MeshConfiguration.testing(
        network: network,
        resources: ResourceSet(
            components: [
                ComponentResource(name: "statestore", type: "state.redis", metadata: ["redisHost": address].merging(state) { $1 }),
                ComponentResource(name: "pubsub", type: "pubsub.redis", metadata: ["redisHost": address].merging(pubsub) { $1 }),
            ],
            resiliencies: resiliencies
        )
    )
    configuration.registry.registerRedis()
    return try await Mesh(appID: appID, configuration: configuration)
}

/// Runs `body` with a fresh Redis server, stopped afterwards whatever happens.
func withRedis<Result>(
    _ options: RedisServer.Options = .init(),
    _ body: (RedisServer) async throws -> Result
) async throws -> Result {
    try await RedisServer.start(options).run(body)
}

/// Expects `body` to throw a ``MeshError``, and returns it.
func meshError(_ body: () async throws -> Void) async -> MeshError? {
    do {
        try await body()
        return nil
    } catch let error as MeshError {
        return error
    } catch {
        return nil
    }
}

/// The prefix of the names of the threads MeshKitRedis starts.
let redisThreadPrefix = "meshkit-redis"
