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
/// `127.0.0.1` made with the `openssl` command (``certificatePath``) or certificate files of
/// the caller's (``TLSFiles``), optionally requiring client certificates. Every response carries
/// `x-protocol` with the protocol nginx spoke; each request is logged (``requestCount()``).
public final class HTTPNginxServer: TestServer {
    /// TLS with certificate files of the caller's own.
    public struct TLSFiles: Sendable {
        /// The server's certificate (and chain), PEM.
        public var certificate: String
        /// Its private key, PEM.
        public var privateKey: String
        /// With a bundle, clients must present a certificate it verifies (`ssl_verify_client
        /// on`; nginx answers 400 to a request without one), and responses carry
        /// `x-client-verify` (`SUCCESS`, `NONE`, `FAILED:…`) and `x-client-subject`.
        public var clientCA: String?

        /// Creates the settings.
        public init(certificate: String, privateKey: String, clientCA: String? = nil) {
            self.certificate = certificate
            self.privateKey = privateKey
            self.clientCA = clientCA
        }
    }

    /// How the server speaks TLS.
    private enum TLSMode {
        case none
        case selfSigned
        case files(TLSFiles)
    }

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
        try await start(files: files, http2: http2, mode: tls ? .selfSigned : .none)
    }

    /// Serves `files` (path → contents) from a new temporary folder over TLS, with the
    /// certificate in `tlsFiles`.
    public static func start(files: [String: Data], tlsFiles: TLSFiles) async throws -> HTTPNginxServer {
        try await start(files: files, http2: true, mode: .files(tlsFiles))
    }

    /// The number of requests nginx has logged (once each has been answered).
    public func requestCount() throws -> Int {
        let log = directory.appendingPathComponent("access.log")
        guard FileManager.default.fileExists(atPath: log.path) else { return 0 }
        return try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count
    }

    private static func start(files: [String: Data], http2: Bool, mode: TLSMode) async throws -> HTTPNginxServer {
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
        let tls: Bool
        if case .none = mode { tls = false } else { tls = true }
        var listen = "listen 127.0.0.1:\(port)\(tls ? " ssl" : "")\(http2 || tls ? " http2" : "");"
        switch mode {
        case .none:
            break
        case .selfSigned:
            try await TestCommand.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "\(work)/server.key", "-out", "\(work)/server.pem", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                ]
            )
            listen += " ssl_certificate \(work)/server.pem; ssl_certificate_key \(work)/server.key;"
        case .files(let files):
            listen += " ssl_certificate \(files.certificate); ssl_certificate_key \(files.privateKey);"
            if let clientCA = files.clientCA {
                listen += " ssl_client_certificate \(clientCA); ssl_verify_client on;"
                listen += " add_header x-client-verify $ssl_client_verify always; add_header x-client-subject $ssl_client_s_dn always;"
            }
        }
        let config = """
            daemon off;
            master_process off;
            pid \(work)/nginx.pid;
            error_log \(work)/error.log;
            events { worker_connections 256; }
            http {
                access_log \(work)/access.log;
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

    /// Starts a server for `files` over TLS with `tlsFiles`, runs `body` with it, then stops it,
    /// also when `body` throws.
    public static func withServer<T: Sendable>(
        files: [String: Data],
        tlsFiles: TLSFiles,
        _ body: (HTTPNginxServer) async throws -> T
    ) async throws -> T {
        try await start(files: files, tlsFiles: tlsFiles).run(body)
    }

    /// Stops nginx and removes its folder.
    public func stop() async {
        await process.kill()
        try? FileManager.default.removeItem(at: directory)
    }
}
