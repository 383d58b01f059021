public import Foundation
public import MeshKitTesting

/// A real third-party HTTP server for integration tests: Python's `http.server` (python3 is on
/// every machine), serving files from a temporary folder on a free loopback port.
///
/// ```swift
/// let server = try await HTTPStaticFileServer.start(files: ["hello.txt": Data("hello".utf8)])
/// // GET http://127.0.0.1:\(server.port)/hello.txt
/// await server.stop()
/// ```
public final class HTTPStaticFileServer: TestServer {
    /// The folder it serves.
    public let directory: URL
    /// The server process.
    public let process: HTTPTestProcess

    /// The port it listens on, on 127.0.0.1.
    public var port: Int { process.port }

    private init(directory: URL, process: HTTPTestProcess) {
        self.directory = directory
        self.process = process
    }

    /// Writes `files` (path → contents) into a new temporary folder and serves it.
    public static func start(files: [String: Data], python: String = "python3") async throws -> HTTPStaticFileServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshkit-http-\(UUID().uuidString)")
        for (path, contents) in files {
            let file = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file)
        }
        let process = try await HTTPTestProcess.start(
            executable: URL(fileURLWithPath: "/usr/bin/env"),
            arguments: [python, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory.path],
            readyPattern: #"port (\d+)"#
        )
        return HTTPStaticFileServer(directory: directory, process: process)
    }

    /// Starts a server for `files`, runs `body` with it, then stops it, also when `body` throws.
    public static func withServer<T: Sendable>(files: [String: Data], _ body: (HTTPStaticFileServer) async throws -> T) async throws -> T {
        try await start(files: files).run(body)
    }

    /// Stops the server and removes its folder.
    public func stop() async {
        await process.kill()
        try? FileManager.default.removeItem(at: directory)
    }
}
