import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting

/// The Dapr resource files the tests use, in `Tests/Fixtures/dapr-resources`.
enum RedisSharedResources {
    static func path(_ name: String) -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/dapr-resources/\(name)").path
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

/// Runs `body`, cancelling it and throwing once `limit` has passed, so that a regression that
/// hangs fails the test instead of stalling the run. `body` must honour cancellation.
func within<Result: Sendable>(_ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> Result) async throws
    -> Result
{
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else {
            throw TestServerError(message: "\(what) did not finish within \(limit)")
        }
        return result
    }
}
