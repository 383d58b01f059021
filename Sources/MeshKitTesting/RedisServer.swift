import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real `redis-server` for integration tests, on a free port of its own so that tests can run
/// in parallel. Stop it with ``stop()`` when done.
///
/// ```swift
/// let redis = try await RedisServer.start()
/// defer { redis.stop() }
/// resources.components.append(ComponentResource(name: "statestore", type: "state.redis", metadata: ["redisHost": redis.address]))
/// ```
public final class RedisServer: TestServer {
    /// How to start a server.
    public struct Options: Sendable {
        /// `requirepass`, when set.
        public var password: String?
        /// Appends every write to a file, fsynced before each reply (`appendonly yes`,
        /// `appendfsync always`), so that acknowledged writes survive a SIGKILL.
        public var isDurable: Bool
        /// More `redis-server` arguments, such as `["--maxmemory", "10mb"]`.
        public var extraArguments: [String]

        /// Creates options.
        public init(password: String? = nil, isDurable: Bool = false, extraArguments: [String] = []) {
            self.password = password
            self.isDurable = isDurable
            self.extraArguments = extraArguments
        }
    }

    /// The TCP port the server listens on.
    public let port: Int
    /// The folder holding the server's log and append-only file.
    public let directory: String
    private let options: Options
    private let process = Mutex<Process?>(nil)

    /// `127.0.0.1:port`, as `redisHost` takes it.
    public var address: String { "127.0.0.1:\(port)" }

    /// Starts a server on a free port and waits until it answers. A port that another
    /// test's server took between the choice and the bind is given up for a new one, twice.
    public static func start(_ options: Options = Options()) async throws -> RedisServer {
        var attempt = 0
        while true {
            attempt += 1
            let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("meshkit-redis-\(UUID().uuidString)")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let server = RedisServer(port: try LoopbackPort.free(), directory: directory, options: options)
            do {
                try await server.restart()
                return server
            } catch let error as TestServerError where attempt < 3 && error.isExitAtOnce {
                continue
            }
        }
    }

    private init(port: Int, directory: String, options: Options) {
        self.port = port
        self.directory = directory
        self.options = options
    }

    deinit {
        process.withLock { process in
            if let process, process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts the server again on the same port and folder (after ``kill()`` or ``stop()``), and waits
    /// until it answers.
    public func restart() async throws {
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
            "--logfile", "redis.log", "--daemonize", "no",
        ]
        arguments += options.isDurable ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]
        if let password = options.password { arguments += ["--requirepass", password] }
        arguments += options.extraArguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable("redis-server"))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try await TestProcessLauncher.launch(process)
        self.process.withLock { $0 = process }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                throw TestServerError(message: "redis-server exited at once; see \(directory)/redis.log", isExitAtOnce: true)
            }
            if await isAnswering(as: process.processIdentifier) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestServerError(message: "redis-server on port \(port) did not answer within 20s")
    }

    /// Whether the process `pid` answers `PING` on ``port`` (not `LOADING`): when another test's
    /// server took the port first, this one fails to bind and exits while the other answers.
    private func isAnswering(as pid: Int32) async -> Bool {
        guard (try? await cli("PING")) == "PONG", let info = try? await cli("INFO", "server") else { return false }
        return info.split(whereSeparator: \.isNewline).contains { $0.trimmingCharacters(in: .whitespaces) == "process_id:\(pid)" }
    }

    /// Stops the server (`SHUTDOWN NOSAVE`, then SIGKILL if it is still running after 2s) and waits
    /// for it to exit.
    ///
    /// Not SIGTERM: Foundation's `Process` starts children with the signal mask of the thread that
    /// launched them, and Dispatch's threads block SIGTERM, so redis-server would never see it.
    public func stop() async {
        guard let process = process.withLock({ $0 }), process.isRunning else { return }
        resume()
        _ = try? await cli("SHUTDOWN", "NOSAVE")
        let deadline = ContinuousClock.now + .seconds(2)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        await signal(SIGKILL)
    }

    /// Kills the server with SIGKILL, as a crash would, and waits for it to exit.
    public func kill() async {
        await signal(SIGKILL)
    }

    /// Freezes the server with SIGSTOP, as a stalled host would: its connections stay open and the
    /// kernel still accepts new ones, but nothing is answered until ``resume()``. ``stop()``
    /// resumes it first; ``kill()`` needs not.
    public func pause() {
        send(SIGSTOP)
    }

    /// Lets a server frozen by ``pause()`` run again (SIGCONT); it answers what it was sent.
    public func resume() {
        send(SIGCONT)
    }

    private func send(_ signal: Int32) {
        guard let process = process.withLock({ $0 }), process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
    }

    /// Runs `redis-cli` against the server with `arguments` and returns its output without the
    /// trailing newline (`--raw` output: one line per reply element).
    @discardableResult
    public func cli(_ arguments: String...) async throws -> String {
        try await cli(arguments)
    }

    /// Runs `redis-cli` against the server with `arguments`; see ``cli(_:)-(String...)``.
    public func cli(_ arguments: [String]) async throws -> String {
        var all = ["-h", "127.0.0.1", "-p", String(port), "--raw"]
        if let password = options.password { all += ["-a", password, "--no-auth-warning"] }
        return try await TestCommand.run(Self.executable("redis-cli"), all + arguments)
    }

    private func signal(_ signal: Int32) async {
        guard let process = process.withLock({ $0 }) else { return }
        if process.isRunning { Glibc.kill(process.processIdentifier, signal) }
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func executable(_ name: String) -> String {
        for folder in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"] {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "/usr/bin/\(name)"
    }
}
