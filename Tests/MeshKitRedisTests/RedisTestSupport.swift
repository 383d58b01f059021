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

/// A mesh whose `statestore` and `pubsub` are Redis components pointed at `address`.
func makeRedisMesh(
    appID: String = "orders",
    address: String,
    state: [String: String] = [:],
    pubsub: [String: String] = [:],
    network: InProcessNetwork = InProcessNetwork()
) async throws -> Mesh {
    var configuration = MeshConfiguration.testing(
        network: network,
        resources: ResourceSet(components: [
            ComponentResource(name: "statestore", type: "state.redis", metadata: ["redisHost": address].merging(state) { $1 }),
            ComponentResource(name: "pubsub", type: "pubsub.redis", metadata: ["redisHost": address].merging(pubsub) { $1 }),
        ])
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

/// Polls `condition` every 20ms until it holds, or fails after `timeout`.
func eventually(
    timeout: Duration = .seconds(10),
    _ what: String,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw WaitError(description: "timed out waiting until \(what)")
}

struct WaitError: Error, CustomStringConvertible {
    let description: String
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
