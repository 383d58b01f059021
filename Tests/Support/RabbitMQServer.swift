import Foundation
public import MeshKitTesting
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real `rabbitmq-server` (Debian's package) for integration tests: its own node name, AMQP and
/// distribution ports, and data, log and cookie folders in a temporary directory, with no plugins
/// (so no management listener). A node takes seconds to boot, so a suite usually starts one and
/// shares it, giving each test its own topic names. Stop it with ``stop()`` when done.
///
/// ```swift
/// let rabbit = try await RabbitMQServer.start()
/// defer { Task { await rabbit.stop() } }
/// resources.components.append(ComponentResource(name: "pubsub", type: "pubsub.rabbitmq", metadata: ["connectionString": rabbit.url]))
/// ```
public final class RabbitMQServer: TestServer {
    /// The AMQP port.
    public let port: Int
    /// The Erlang node name, such as `meshkit-1a2b3c4d@localhost`.
    public let nodeName: String
    /// The folder holding the node's data, logs and cookie.
    public let directory: String
    private let distributionPort: Int
    private let process = Mutex<Process?>(nil)

    /// `amqp://guest:guest@127.0.0.1:port`, as `connectionString` takes it.
    public var url: String { "amqp://guest:guest@127.0.0.1:\(port)" }

    /// Starts a node on free ports and waits until it runs (`rabbitmqctl wait`). A node that does
    /// not come up (a port taken between finding it free and the node binding it, for instance)
    /// is tried once more on fresh ports; the error quotes each attempt's log.
    public static func start() async throws -> RabbitMQServer {
        var failures: [String] = []
        for _ in 0..<2 {
            let server = try make()
            do {
                try await server.restart()
                return server
            } catch {
                failures.append("\(error)")
                await server.stop()
            }
        }
        throw TestServerError(message: failures.joined(separator: "\nthen: "))
    }

    /// A node's ports, name and folder, not started yet.
    private static func make() throws -> RabbitMQServer {
        let id = UUID().uuidString.prefix(8).lowercased()
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("meshkit-rabbitmq-\(id)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // No plugins, and an empty environment file instead of /etc/rabbitmq/rabbitmq-env.conf.
        try "[].\n".write(toFile: "\(directory)/enabled_plugins", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(directory)/rabbitmq-env.conf", atomically: true, encoding: .utf8)
        // The Erlang cookie, written before either VM starts: otherwise rabbitmq-server and
        // `rabbitmqctl wait` race to create it, and one may read it before its mode is 0400
        // ("Cookie file … must be accessible by owner only"), which stops that VM.
        let cookie = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let cookieFile = "\(directory)/.erlang.cookie"
        guard FileManager.default.createFile(atPath: cookieFile, contents: Data(cookie.utf8), attributes: [.posixPermissions: 0o400]) else {
            throw TestServerError(message: "could not write the Erlang cookie \(cookieFile)")
        }
        return RabbitMQServer(
            port: try LoopbackPort.free(),
            distributionPort: try LoopbackPort.free(),
            nodeName: "meshkit-\(id)@localhost",
            directory: directory
        )
    }

    private init(port: Int, distributionPort: Int, nodeName: String, directory: String) {
        self.port = port
        self.distributionPort = distributionPort
        self.nodeName = nodeName
        self.directory = directory
    }

    deinit {
        if let pid = brokerPID { Glibc.kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The environment `rabbitmq-server` and `rabbitmqctl` share.
    private var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory  // the Erlang cookie
        environment["RABBITMQ_NODENAME"] = nodeName
        environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1"
        environment["RABBITMQ_NODE_PORT"] = String(port)
        environment["RABBITMQ_DIST_PORT"] = String(distributionPort)
        environment["RABBITMQ_CONF_ENV_FILE"] = "\(directory)/rabbitmq-env.conf"
        environment["RABBITMQ_CONFIG_FILE"] = "\(directory)/rabbitmq"
        environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = "\(directory)/advanced.config"
        environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = "\(directory)/enabled_plugins"
        environment["RABBITMQ_MNESIA_BASE"] = "\(directory)/mnesia"
        environment["RABBITMQ_LOG_BASE"] = "\(directory)/log"
        environment["RABBITMQ_PID_FILE"] = pidFile
        return environment
    }

    private var pidFile: String { "\(directory)/rabbitmq.pid" }

    /// The Erlang VM's process ID, from the pid file the node writes.
    private var brokerPID: Int32? {
        (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Starts the node again on the same ports and data folder (after ``kill()`` or ``stop()``):
    /// durable queues and persistent messages are still there. Waits until it runs.
    public func restart() async throws {
        try? FileManager.default.removeItem(atPath: pidFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/lib/rabbitmq/bin/rabbitmq-server")
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try await TestProcessLauncher.launch(process)
        self.process.withLock { $0 = process }
        do {
            try await ctl("wait", "--timeout", "60", pidFile)
        } catch {
            await kill()
            throw TestServerError(message: "rabbitmq-server on port \(port) did not start: \(error); its log ends:\n\(logTail())")
        }
    }

    /// The last lines of the node's log files.
    private func logTail(lines: Int = 20) -> String {
        let folder = "\(directory)/log"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".log") }.sorted()
        let text = names.compactMap { try? String(contentsOfFile: "\(folder)/\($0)", encoding: .utf8) }.joined(separator: "\n")
        let tail = text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines)
        return tail.isEmpty ? "(no log in \(folder))" : tail.joined(separator: "\n")
    }

    /// Kills the node with SIGKILL, as a crash would, and waits for it to exit.
    public func kill() async {
        if let pid = brokerPID { Glibc.kill(pid, SIGKILL) }
        guard let process = process.withLock({ $0 }) else { return }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        while process.isRunning || brokerPID.map({ Glibc.kill($0, 0) == 0 }) == true {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops the node (SIGKILL: tests need no graceful broker shutdown) and removes its folder.
    public func stop() async {
        await kill()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `rabbitmqctl` against the node, such as `ctl("list_queues", "name", "messages")`, and
    /// returns its output without the trailing newline.
    @discardableResult
    public func ctl(_ arguments: String...) async throws -> String {
        try await TestCommand.run("/usr/lib/rabbitmq/bin/rabbitmqctl", ["-n", nodeName, "-q"] + arguments, environment: environment)
    }

    /// The queues and their ready message counts, from `rabbitmqctl list_queues`.
    public func queues() async throws -> [String: Int] {
        let output = try await ctl("list_queues", "--no-table-headers", "name", "messages_ready")
        var queues: [String: Int] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.count == 2, let count = Int(fields[1]) { queues[String(fields[0])] = count }
        }
        return queues
    }
}
