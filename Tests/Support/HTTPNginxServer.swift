public import Foundation
public import MeshKitTesting

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real nginx for integration tests, when it is installed (`apt-get install nginx`; listed in
/// `scripts/system-packages.txt`): one foreground process, no workers, serving files from a
/// temporary folder on a free loopback port, over HTTP/1.1, cleartext HTTP/2 (h2c, prior
/// knowledge), or TLS with HTTP/2 offered by ALPN, under a self-signed certificate for
/// `127.0.0.1` made with the `openssl` command (``certificatePath``). Every response carries
/// `x-protocol` with the protocol nginx spoke.
public final class HTTPNginxServer: TestServer {
    /// The folder it serves (and keeps its config, pid and temp files in).
    public let directory: URL
    /// The nginx process.
    public let process: HTTPTestProcess
    /// The port it listens on, on 127.0.0.1.
    public var port: Int { process.port }
    /// With TLS, the PEM file of its self-signed certificate: the one authority to trust.
    public var certificatePath: String { directory.appendingPathComponent("server.pem").path }

    private init(directory: URL, process: HTTPTestProcess) {
        self.directory = directory
        self.process = process
    }

    /// The nginx binary, if installed.
    public static var executable: URL? {
        ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"].map(URL.init(fileURLWithPath:))
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Whether nginx is installed here.
    public static var isAvailable: Bool { executable != nil }

    /// Serves `files` (path → contents) from a new temporary folder.
    public static func start(files: [String: Data], http2: Bool = false, tls: Bool = false) async throws -> HTTPNginxServer {
        guard let nginx = executable else { throw TestServerError(message: "nginx is not installed") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshkit-nginx-\(UUID().uuidString)")
        let root = directory.appendingPathComponent("www")
        for (path, contents) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let port = try LoopbackPort.free()
        let work = directory.path
        var listen = "listen 127.0.0.1:\(port)\(tls ? " ssl" : "")\(http2 || tls ? " http2" : "");"
        if tls {
            try await TestCommand.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "\(work)/server.key", "-out", "\(work)/server.pem", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                ]
            )
            listen += " ssl_certificate \(work)/server.pem; ssl_certificate_key \(work)/server.key;"
        }
        let config = """
            daemon off;
            master_process off;
            pid \(work)/nginx.pid;
            error_log \(work)/error.log;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(work); proxy_temp_path \(work); fastcgi_temp_path \(work);
                uwsgi_temp_path \(work); scgi_temp_path \(work);
                server {
                    \(listen)
                    root \(root.path);
                    add_header x-protocol $server_protocol always;
                }
            }
            """
        let configFile = directory.appendingPathComponent("nginx.conf")
        try Data(config.utf8).write(to: configFile)
        let process = try await HTTPTestProcess.start(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "echo READY \(port); exec '\(nginx.path)' -c '\(configFile.path)'"],
            readyPattern: #"READY (\d+)"#
        )
        let server = HTTPNginxServer(directory: directory, process: process)
        // nginx binds a moment after the shell prints; wait until it accepts, bounded.
        for _ in 0..<60 {
            if LoopbackPort.isListening(port) { return server }
            try await Task.sleep(for: .milliseconds(50))
        }
        await server.stop()
        throw TestServerError(message: "nginx did not listen on 127.0.0.1:\(port) within 3 s")
    }

    /// Starts a server for `files`, runs `body` with it, then stops it, also when `body` throws.
    public static func withServer<T: Sendable>(
        files: [String: Data],
        http2: Bool = false,
        tls: Bool = false,
        _ body: (HTTPNginxServer) async throws -> T
    ) async throws -> T {
        try await start(files: files, http2: http2, tls: tls).run(body)
    }

    /// Stops nginx and removes its folder.
    public func stop() async {
        await process.kill()
        try? FileManager.default.removeItem(at: directory)
    }
}
