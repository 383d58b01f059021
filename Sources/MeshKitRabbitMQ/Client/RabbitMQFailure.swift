import MeshKit

/// The errors of the RabbitMQ client, each naming the broker so that a user knows which one failed.
enum RabbitMQFailure {
    /// The broker cannot be reached, or the connection broke.
    static func unreachable(_ endpoint: RabbitMQEndpoint, reason: String) -> MeshError {
        MeshError(.unavailable, "RabbitMQ at \(endpoint) is unreachable: \(reason)", context: .init(subject: endpoint.description))
    }

    /// The broker refused a publish (a negative publisher confirm) or did not confirm it in time.
    static func notConfirmed(_ endpoint: RabbitMQEndpoint, topic: String, reason: String) -> MeshError {
        MeshError(
            .pubsubPublish,
            "RabbitMQ at \(endpoint) did not confirm the message to '\(topic)': \(reason)",
            context: .init(subject: topic)
        )
    }

    /// The component was shut down.
    static func closed(_ endpoint: RabbitMQEndpoint) -> MeshError {
        MeshError(.cancelled, "the connection to RabbitMQ at \(endpoint) was closed", context: .init(subject: endpoint.description))
    }
}
