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
    private let dedicated = Mutex(DedicatedConnections())

    /// The connections handed out for blocking commands, closed with the client.
    private struct DedicatedConnections {
        var open: [ObjectIdentifier: RedisConnection] = [:]
        var isShutDown = false
    }

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

    /// Sends one command in a task of its own, so that the caller's cancellation does not stop it:
    /// for clean-up that must happen, such as an `XACK` or leaving the name registry. The read
    /// timeout bounds it, and ``shutdown()`` ends it.
    func sendIgnoringCancellation(_ command: RedisCommand) async throws -> RedisReply {
        try await Task { try await self.send(command) }.value
    }

    /// A connection of its own, for blocking commands such as `XREADGROUP ... BLOCK`; give it back
    /// with ``release(_:)``. ``shutdown()`` closes it too. Throws once the client is shut down.
    func dedicatedConnection(blockingFor block: Duration) throws(MeshError) -> RedisConnection {
        try dedicated.withLock { dedicated throws(MeshError) in
            guard !dedicated.isShutDown else { throw RedisFailure.closed(options.endpoint) }
            let connection = RedisConnection(options: options, readTimeout: options.readTimeout + block)
            dedicated.open[ObjectIdentifier(connection)] = connection
            return connection
        }
    }

    /// Closes a connection from ``dedicatedConnection(blockingFor:)`` and waits for its thread.
    func release(_ connection: RedisConnection) async {
        _ = dedicated.withLock { $0.open.removeValue(forKey: ObjectIdentifier(connection)) }
        await connection.shutdown()
    }

    /// Closes every connection, pooled and dedicated, and returns once their threads have ended.
    /// Requests fail with ``MeshError/Code/cancelled`` from then on. Idempotent.
    func shutdown() async {
        let handedOut = dedicated.withLock { dedicated in
            dedicated.isShutDown = true
            defer { dedicated.open.removeAll() }
            return Array(dedicated.open.values)
        }
        let all = connections + handedOut
        for connection in all { connection.close() }
        for connection in all { await connection.shutdown() }
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
