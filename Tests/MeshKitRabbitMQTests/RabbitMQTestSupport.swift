import Foundation
import MeshKit
import MeshKitRabbitMQ
import MeshKitTestSupport
import MeshKitTesting
import Testing

/// One rabbitmq-server for the whole `pubsub.rabbitmq` suite: a node takes seconds to boot. Tests
/// share it and keep apart by using topics of their own (``uniqueTopic(_:)``).
struct SharedRabbitMQBroker: SuiteTrait, TestScoping {
    @TaskLocal static var current: RabbitMQServer?

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await RabbitMQServer.start()
        try await server.run { server in
            try await Self.$current.withValue(server) { try await function() }
        }
    }
}

extension Trait where Self == SharedRabbitMQBroker {
    /// Starts a rabbitmq-server before the suite and stops it after.
    static var rabbitMQBroker: Self { Self() }
}

/// The suite's broker.
var broker: RabbitMQServer {
    get throws {
        guard let server = SharedRabbitMQBroker.current else {
            throw TestServerError(message: "no broker: the test must run inside the RabbitMQTests suite")
        }
        return server
    }
}

/// A topic no other test uses.
func uniqueTopic(_ name: String) -> String {
    "\(name)-\(UUID().uuidString.prefix(8).lowercased())"
}

/// The Dapr resource files the tests use, in `Tests/Fixtures/dapr-resources`.
func fixturePath(_ name: String) -> String {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<2 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Fixtures/dapr-resources/\(name)").path
}

/// A mesh whose `pubsub` is a `pubsub.rabbitmq` component on `url`.
func makeRabbitMesh(
    appID: String = "orders",
    url: String,
    metadata: [String: String] = [:],
    resiliencies: [ResiliencyResource] = [],
    network: InProcessNetwork = InProcessNetwork()
) async throws -> Mesh {
    var configuration = MeshConfiguration.testing(
        network: network,
        resources: ResourceSet(
            components: [
                ComponentResource(name: "pubsub", type: "pubsub.rabbitmq", metadata: ["connectionString": url].merging(metadata) { $1 })
            ],
            resiliencies: resiliencies
        )
    )
    configuration.registry.registerRabbitMQ()
    return try await Mesh(appID: appID, configuration: configuration)
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

/// The prefix of the names of the threads MeshKitRabbitMQ starts.
let rabbitThreadPrefix = "meshkit-rmq"

/// The top-level suite: every `pubsub.rabbitmq` test runs in it, against one broker.
@Suite("pubsub.rabbitmq", .rabbitMQBroker)
struct RabbitMQTests {}
