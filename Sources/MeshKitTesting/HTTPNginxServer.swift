public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real nginx for integration tests, when it is installed (`apt-get install nginx`; listed in
/// `scripts/system-packages.txt`): one foreground process, no workers, serving files from a
/// temporary folder on a free loopback port, over HTTP/1.1 or cleartext HTTP/2 (h2c, prior
/// knowledge). Every response carries `x-protocol` with the protocol nginx spoke.
public final class HTTPNginxServer: Sendable {
    /// The folder it serves (and keeps its config, pid and temp files in).
    public let directory: URL
    /// The nginx process.
    public let process: HTTPTestProcess
    /// The port it listens on, on 127.0.0.1.
    public var port: Int { process.port }

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
    public static func start(files: [String: Data], http2: Bool = false) async throws -> HTTPNginxServer {
        guard let nginx = executable else { throw HTTPTestProcessError(message: "nginx is not installed") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshkit-nginx-\(UUID().uuidString)")
        let root = directory.appendingPathComponent("www")
        for (path, contents) in files {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: file)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let work = directory.path
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
                    listen 127.0.0.1:\(port)\(http2 ? " http2" : "");
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
            if canConnect(port: port) { return server }
            try await Task.sleep(for: .milliseconds(50))
        }
        await server.stop()
        throw HTTPTestProcessError(message: "nginx did not listen on 127.0.0.1:\(port) within 3 s")
    }

    /// Starts a server for `files`, runs `body` with it, then stops it, also when `body` throws.
    public static func withServer<T: Sendable>(
        files: [String: Data],
        http2: Bool = false,
        _ body: (HTTPNginxServer) async throws -> T
    ) async throws -> T {
        let server = try await start(files: files, http2: http2)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Stops nginx and removes its folder.
    public func stop() async {
        await process.kill()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func freeLoopbackPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPTestProcessError(message: "socket() failed") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw HTTPTestProcessError(message: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
