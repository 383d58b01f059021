import Foundation
import MeshKit

/// Where and as whom to connect: an `amqp://user:password@host:port/vhost` URL, read as RabbitMQ's
/// URI spec reads it (port 5672, user and password `guest`, vhost `/` when absent).
struct RabbitMQEndpoint: Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int
    var virtualHost: String
    var username: String
    var password: String

    /// Parses `url`; `nil` when it is not an `amqp://` URL with a host.
    init?(url: String) {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "amqp",
            let host = components.host, !host.isEmpty
        else { return nil }
        self.host = host
        self.port = components.port ?? 5672
        guard (1...65535).contains(port) else { return nil }
        self.username = components.user ?? "guest"
        self.password = components.password ?? "guest"
        // An absent path is the default vhost `/`; `/name` is `name`, percent-decoded (`%2F` is `/`).
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            virtualHost = "/"
        } else {
            guard let decoded = String(path.dropFirst()).removingPercentEncoding else { return nil }
            virtualHost = decoded
        }
    }

    /// `host:port/vhost`, without credentials, for logs and errors.
    var description: String {
        "\(host):\(port)\(virtualHost == "/" ? "" : "/\(virtualHost)")"
    }
}
