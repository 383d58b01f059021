import MeshKit

/// The errors of the Redis client, each naming the server so that a user knows which one failed.
enum RedisFailure {
    /// Redis cannot be reached, or the connection broke.
    static func unreachable(_ endpoint: RedisEndpoint, reason: String) -> MeshError {
        MeshError(.unavailable, "Redis at \(endpoint) is unreachable: \(reason)", context: .init(subject: endpoint.description))
    }

    /// Redis did not answer in time.
    static func timeout(_ endpoint: RedisEndpoint) -> MeshError {
        MeshError(.timeout, "Redis at \(endpoint) did not answer in time", context: .init(subject: endpoint.description))
    }

    /// Redis refused the credentials (`redisUsername`, `redisPassword`).
    static func authentication(_ endpoint: RedisEndpoint, reply: String) -> MeshError {
        MeshError(
            .unavailable,
            "Redis at \(endpoint) rejected the credentials (check redisUsername and redisPassword): \(reply)",
            context: .init(field: "spec.metadata.redisPassword", subject: endpoint.description)
        )
    }

    /// The connection was closed by its owner.
    static func closed(_ endpoint: RedisEndpoint) -> MeshError {
        MeshError(.cancelled, "the connection to Redis at \(endpoint) was closed", context: .init(subject: endpoint.description))
    }

    /// Redis answered a command with an error.
    static func reply(_ message: String, command: String, code: MeshError.Code, subject: String?) -> MeshError {
        // A restarting server answers LOADING until its data is back: it is not reachable yet,
        // which is transient, not a refusal of this command.
        if message.hasPrefix("LOADING") {
            return MeshError(.unavailable, "Redis is unreachable while it loads its dataset (\(command)): \(message)", context: .init(subject: subject))
        }
        return MeshError(code, "Redis refused \(command): \(message)", context: .init(subject: subject))
    }
}
