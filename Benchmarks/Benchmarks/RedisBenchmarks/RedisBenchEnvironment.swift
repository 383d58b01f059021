import Foundation
import Logging
import MeshKit
import MeshKitRedis
import MeshKitTesting
import Synchronization

/// The redis-server every benchmark of one run shares: the one at `REDIS_BENCH_ADDRESS`
/// (`host:port`, as `run.sh` starts it), or else one this process starts.
final class RedisBenchEnvironment: Sendable {
    let address: String
    let port: Int
    private let server: RedisServer?

    private static let shared = Mutex<Task<RedisBenchEnvironment, any Error>?>(nil)

    /// The environment, started on first use.
    static func get() async throws -> RedisBenchEnvironment {
        let task = shared.withLock { task in
            if let task { return task }
            let started = Task { try await RedisBenchEnvironment.start() }
            task = started
            return started
        }
        return try await task.value
    }

    /// Stops the server this process started, if any.
    static func stop() async {
        guard let task = shared.withLock({ $0 }), let environment = try? await task.value else { return }
        await environment.server?.stop()
    }

    private static func start() async throws -> RedisBenchEnvironment {
        if let address = ProcessInfo.processInfo.environment["REDIS_BENCH_ADDRESS"],
            let port = Int(address.split(separator: ":").last ?? "")
        {
            return RedisBenchEnvironment(address: address, port: port, server: nil)
        }
        let server = try await RedisServer.start()
        return RedisBenchEnvironment(address: server.address, port: server.port, server: server)
    }

    private init(address: String, port: Int, server: RedisServer?) {
        self.address = address
        self.port = port
        self.server = server
    }

    /// A mesh whose `statestore` and `pubsub` are Redis components on the shared server.
    func mesh(_ appID: String, pubsub: [String: String] = [:]) async throws -> Mesh {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        var configuration = MeshConfiguration(
            resources: ResourceSet(components: [
                ComponentResource(name: "statestore", type: "state.redis", metadata: ["redisHost": address]),
                ComponentResource(name: "pubsub", type: "pubsub.redis", metadata: ["redisHost": address].merging(pubsub) { $1 }),
            ]),
            network: InProcessNetwork(),
            logger: logger
        )
        configuration.registry.registerRedis()
        return try await Mesh(appID: appID, configuration: configuration)
    }

    /// The `pubsub.redis` component on the shared server, without a mesh around it.
    func pubSubComponent(_ metadata: [String: String] = [:]) throws -> RedisPubSub {
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        return try RedisPubSub(metadata: ["redisHost": address].merging(metadata) { $1 }, logger: logger)
    }

    /// Runs `redis-benchmark -c 50` with `command` against the shared server and returns its
    /// requests per second.
    func redisBenchmark(requests: Int = 200_000, _ command: [String]) throws -> Int {
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-benchmark")
        process.arguments = ["-h", "127.0.0.1", "-p", String(port), "-c", "50", "-n", String(requests), "--csv"] + command
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // --csv: a header line, then "test","rps" and six latencies; the test's name (the command)
        // may hold commas, so count from the end.
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard let last = lines.last else { return 0 }
        let fields = last.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        return fields.count >= 8 ? Int(Double(fields[fields.count - 7]) ?? 0) : 0
    }

    /// The resident set size of this process, in bytes.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}

/// Counts deliveries and lets a benchmark wait for a number of them.
final class DeliveryCounter: Sendable {
    private struct State {
        var count = 0
        var target = Int.max
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func increment() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count >= state.target, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    func wait(for target: Int) async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.count >= target { return true }
                state.target = target
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// Runs `total` calls of `body` spread over `tasks` concurrent tasks.
func concurrently(_ total: Int, tasks: Int = 50, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<tasks {
            group.addTask {
                var index = task
                while index < total {
                    try await body(index)
                    index += tasks
                }
            }
        }
        try await group.waitForAll()
    }
}

extension RedisBenchEnvironment {
    /// Loads a script with `redis-cli SCRIPT LOAD` and returns its SHA.
    func loadScript(_ source: String) throws -> String {
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        process.arguments = ["-h", "127.0.0.1", "-p", String(port), "SCRIPT", "LOAD", source]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A flow the end-to-end benchmarks publish into: what publishes one message, the counter of
/// deliveries to its handler, and the task that runs the subscription (cancel it to end).
struct CountedFlow: Sendable {
    let publish: @Sendable () async throws -> Void
    let deliveries: DeliveryCounter
    /// Consumes the topic until cancelled.
    let subscribe: @Sendable () async throws -> Void

    /// Runs `body` while the subscription runs as a child task, once one message has gone
    /// through (so that the consumer group exists before a measurement; the counter then stands
    /// at 1). The subscription is cancelled, and awaited, when `body` returns or throws.
    func whileSubscribed<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await subscribe() }
            defer { group.cancelAll() }
            try await publish()
            await deliveries.wait(for: 1)
            return try await body()
        }
    }
}

extension RedisBenchEnvironment {
    /// Publish → handler through a mesh on a new topic, with 50 deliveries at a time; `payload`
    /// is published as JSON.
    func meshFlow(_ name: String, payload: Data, maxLenApprox: Int) async throws -> CountedFlow {
        let suffix = UUID().uuidString.prefix(6)
        let mesh = try await mesh("\(name)-\(suffix)", pubsub: ["concurrency": "50", "maxLenApprox": String(maxLenApprox)])
        let topic = "\(name)-\(suffix)"
        let deliveries = DeliveryCounter()
        try await mesh.subscribe(pubsub: "pubsub", topic: topic, options: SubscriptionOptions(maxConcurrentDeliveries: 50)) { _ in
            deliveries.increment()
            return .success
        }
        return CountedFlow(
            publish: { try await mesh.publish(pubsub: "pubsub", topic: topic, data: payload, contentType: "application/json") },
            deliveries: deliveries,
            subscribe: { try await mesh.run() }
        )
    }

    /// Publish → handler through the `pubsub.redis` component alone, on a new topic, with 50
    /// deliveries at a time, of 330 raw bytes (the size of a MeshKit CloudEvent).
    func componentFlow(_ name: String, maxLenApprox: Int) async throws -> CountedFlow {
        let pubsub = try pubSubComponent(["concurrency": "50", "maxLenApprox": String(maxLenApprox)])
        let topic = "\(name)-\(UUID().uuidString.prefix(6))"
        let message = PubSubMessage(topic: topic, data: Data(repeating: 120, count: 330))
        let deliveries = DeliveryCounter()
        let request = PubSubSubscriptionRequest(topic: topic, consumerGroup: "bench", maxConcurrency: 50)
        return CountedFlow(
            publish: { try await pubsub.publish(message) },
            deliveries: deliveries,
            subscribe: {
                try await pubsub.subscribe(request) { _ in
                    deliveries.increment()
                    return .ack
                }
            }
        )
    }
}
