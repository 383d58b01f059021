import Foundation

/// `secretstores.local.env`: secrets are this process's environment variables.
///
/// Metadata: `prefix` (optional) restricts the store to variables starting with it, and the
/// prefix is removed from their names, as in Dapr.
public struct LocalEnvironmentSecretStore: SecretStore {
    /// The Dapr component type.
    public static let componentType = "secretstores.local.env"

    private let name: String
    private let prefix: String
    private let environment: @Sendable () -> [String: String]

    init(context: ComponentContext, environment: @escaping @Sendable () -> [String: String] = { ProcessInfo.processInfo.environment }) {
        self.name = context.name
        self.prefix = context.metadata["prefix"] ?? ""
        self.environment = environment
    }

    public func secret(named name: String, metadata: [String: String]) async throws -> [String: String] {
        guard let value = environment()[prefix + name] else { throw notFound(name, in: self.name) }
        return [name: value]
    }

    public func bulkSecrets(metadata: [String: String]) async throws -> [String: [String: String]] {
        var secrets: [String: [String: String]] = [:]
        for (key, value) in environment() where key.hasPrefix(prefix) {
            let name = String(key.dropFirst(prefix.count))
            secrets[name] = [name: value]
        }
        return secrets
    }
}
