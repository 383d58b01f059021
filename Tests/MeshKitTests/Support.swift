import Foundation
import MeshKit
import MeshKitTesting

/// The Dapr resource files the tests use, in `Tests/Fixtures/dapr-resources` (see its README for
/// where each comes from).
enum SharedResources {
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/dapr-resources").path
    }()

    static func path(_ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }

    /// A temporary folder holding copies of the named shared files.
    static func folder(with names: [String]) throws -> ResourceFolder {
        let folder = try ResourceFolder()
        for name in names { try folder.copy(path(name)) }
        return folder
    }
}

extension ComponentResource {
    /// The in-memory `pubsub`, for tests that also give other resources (and so get no defaults).
    static let inMemoryPubSub = ComponentResource(name: "pubsub", type: InMemoryPubSub.componentType)
    /// The in-memory `statestore`, for tests that also give other resources.
    static let inMemoryStateStore = ComponentResource(name: "statestore", type: InMemoryStateStore.componentType)
}

/// A mesh on its own network, for tests.
func makeMesh(
    appID: String = "order-service",
    network: InProcessNetwork = InProcessNetwork(),
    components: [ComponentResource] = [],
    subscriptions: [SubscriptionResource] = [],
    resiliencies: [ResiliencyResource] = [],
    clock: WallClock = .system,
    namespace: String? = nil
) async throws -> Mesh {
    var configuration = MeshConfiguration.testing(
        network: network,
        resources: ResourceSet(components: components, resiliencies: resiliencies, subscriptions: subscriptions),
        clock: clock
    )
    configuration.namespace = namespace
    return try await Mesh(appID: appID, configuration: configuration)
}

/// Runs the mesh's subscriptions for the duration of `body`, then cancels them and waits until
/// `run()` has returned, so every delivery in flight (and its span) has finished.
func whileRunning<T: Sendable>(_ mesh: Mesh, _ body: () async throws -> T) async throws -> T {
    let runner = Task { try await mesh.run() }
    let result: Result<T, any Error>
    do {
        result = .success(try await body())
    } catch {
        result = .failure(error)
    }
    runner.cancel()
    _ = await runner.result
    return try result.get()
}

/// Whether `error` is a `MeshError` with `code`.
func isMeshError(_ error: any Error, _ code: MeshError.Code) -> Bool {
    (error as? MeshError)?.code == code
}

struct Order: Codable, Equatable, Sendable {
    var id: String
    var amount: Int
}
