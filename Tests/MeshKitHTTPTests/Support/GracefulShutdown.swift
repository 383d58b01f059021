import Logging
import MeshKit
import MeshKitHTTP
import ServiceLifecycle

/// Runs a MeshHTTPServer for `mesh` on an ephemeral loopback port inside a `ServiceGroup`, so
/// `body` can trigger a graceful shutdown with the closure it is given, which returns how long
/// `run()` then took to return.
func withGracefullyStoppableServer<T: Sendable>(
    mesh: Mesh,
    configuration: MeshHTTPServer.Configuration,
    _ body: @Sendable (_ port: Int, _ shutDown: @escaping @Sendable () async throws -> Duration) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let server = MeshHTTPServer(mesh: mesh, configuration: configuration)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let group = ServiceGroup(services: [server], logger: logger)
    let (finished, finish) = AsyncStream.makeStream(of: Void.self)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            defer { finish.finish() }
            try await group.run()
        }
        defer { tasks.cancelAll() }
        let port = try await server.boundPort()
        return try await body(port) {
            let start = ContinuousClock.now
            await group.triggerGracefulShutdown()
            for await _ in finished {}
            return ContinuousClock.now - start
        }
    }
}
