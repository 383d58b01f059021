import Foundation
import Hummingbird
import Logging
import MeshKit
import MeshKitTesting
import ServiceLifecycle
import Synchronization

/// A real Hummingbird server on a loopback port, with its mesh running beside it, for the
/// duration of `body`; requests are made with curl.
func withHummingbird<Context: RequestContext, T: Sendable>(
    mesh: Mesh,
    router: Router<Context>,
    _ body: @Sendable (Int) async throws -> T
) async throws -> T where Context.Source == ApplicationRequestContextSource {
    let port = PortWaiter()
    var app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in port.set(channel.localAddress?.port ?? 0) },
        logger: mesh.logger
    )
    app.addServices(mesh)
    let server = Task { try await app.runService(gracefulShutdownSignals: []) }
    defer { server.cancel() }
    let bound = try await port.wait()
    try await eventually("the mesh runs") { mesh.phase == .running }
    return try await body(bound)
}

/// The port the server reports once it listens.
final class PortWaiter: Sendable {
    private let port = Mutex<Int?>(nil)
    func set(_ value: Int) { port.withLock { $0 = value } }
    func wait() async throws -> Int {
        var bound: Int?
        try await eventually("the server listens") {
            bound = port.withLock { $0 }
            return bound != nil
        }
        return bound ?? 0
    }
}

/// An answer curl got: the status and the body.
struct CurlAnswer: Sendable {
    var status: Int
    var body: String
}

/// Makes one request with curl, sending the path as written (`..` included).
func curl(_ url: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil) async throws -> CurlAnswer {
    var arguments = ["curl", "-sS", "--path-as-is", "-X", method, "-w", "\n%{http_code}", url]
    for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
    if let body { arguments += ["--data-binary", body] }
    let output = try await TestCommand.run("/usr/bin/env", arguments)
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    return CurlAnswer(status: Int(lines.last ?? "") ?? 0, body: lines.dropLast().joined(separator: "\n"))
}
