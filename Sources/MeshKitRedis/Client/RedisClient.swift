import MeshKit
import Synchronization

/// A pool of ``RedisConnection``s, each a thread pipelining the requests queued on it.
///
/// Requests go to the connection with the shortest queue, so concurrent callers share a few
/// connections and their commands travel in batches, as redis-benchmark's pipelines do.
final class RedisClient: Sendable {
    /// How the client connects.
    let options: RedisConnectionOptions
    private let connections: [RedisConnection]
    private let next = Atomic<Int>(0)

    /// Creates the pool; nothing connects until the first request.
    init(options: RedisConnectionOptions) {
        self.options = options
        self.connections = (0..<max(options.poolSize, 1)).map { _ in RedisConnection(options: options) }
    }

    /// Sends the commands as one pipeline on one connection; their replies come back in order.
    func send(_ commands: [RedisCommand]) async throws -> [RedisReply] {
        try await pick().send(commands)
    }

    /// Sends one command.
    func send(_ command: RedisCommand) async throws -> RedisReply {
        try await pick().send(command)
    }

    /// A connection of its own, for blocking commands such as `XREADGROUP ... BLOCK`; close it when done.
    func dedicatedConnection(blockingFor block: Duration) -> RedisConnection {
        RedisConnection(options: options, readTimeout: options.readTimeout + block)
    }

    private func pick() -> RedisConnection {
        if connections.count == 1 { return connections[0] }
        // Round-robin start, then prefer an idle connection so a slow batch does not hold others up.
        let start = next.add(1, ordering: .relaxed).oldValue
        var best = connections[start % connections.count]
        var bestCount = best.queuedCount
        guard bestCount > 0 else { return best }
        for offset in 1..<connections.count {
            let candidate = connections[(start + offset) % connections.count]
            let count = candidate.queuedCount
            if count < bestCount {
                (best, bestCount) = (candidate, count)
                if count == 0 { break }
            }
        }
        return best
    }
}
