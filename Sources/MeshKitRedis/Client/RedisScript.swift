import MeshKit
import Synchronization

/// A Lua script run with `EVALSHA`: loaded once with `SCRIPT LOAD`, and loaded again when Redis
/// answers `NOSCRIPT` (after a restart or a `SCRIPT FLUSH`).
final class RedisScript: Sendable {
    /// The script's source.
    let source: String
    private let sha = Mutex<String?>(nil)

    /// Creates a script.
    init(_ source: String) {
        self.source = source
    }

    /// One call of the script.
    struct Call: Sendable {
        /// `KEYS`.
        var keys: [String]
        /// `ARGV`.
        var arguments: [RedisArgument]
    }

    /// Runs the calls as one pipeline and returns their replies in order.
    func run(_ calls: [Call], on client: RedisClient) async throws -> [RedisReply] {
        var sha = try await loadedSHA(on: client, reload: false)
        var replies = try await client.send(calls.map { command(sha: sha, $0) })
        let missing = replies.indices.filter { replies[$0].errorPrefix == "NOSCRIPT" }
        guard !missing.isEmpty else { return replies }
        sha = try await loadedSHA(on: client, reload: true)
        let retried = try await client.send(missing.map { command(sha: sha, calls[$0]) })
        for (index, reply) in zip(missing, retried) { replies[index] = reply }
        return replies
    }

    /// Runs one call.
    func run(_ call: Call, on client: RedisClient) async throws -> RedisReply {
        try await run([call], on: client)[0]
    }

    private func command(sha: String, _ call: Call) -> RedisCommand {
        var command = RedisCommand("EVALSHA", [.string(sha), .int(call.keys.count)])
        for key in call.keys { command.append(.string(key)) }
        for argument in call.arguments { command.append(argument) }
        return command
    }

    private func loadedSHA(on client: RedisClient, reload: Bool) async throws -> String {
        if !reload, let known = sha.withLock({ $0 }) { return known }
        let reply = try await client.send(RedisCommand("SCRIPT", ["LOAD", .string(source)]))
        guard let loaded = reply.string, reply.errorMessage == nil else {
            throw MeshError(.unavailable, "Redis at \(client.options.endpoint) cannot load a script: \(reply.errorMessage ?? "\(reply)")")
        }
        sha.withLock { $0 = loaded }
        return loaded
    }
}
