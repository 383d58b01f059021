extension Mesh {
    /// Reads a secret: a map of values, usually one keyed by the secret's name.
    public func getSecret(store: String, key: String, metadata: [String: String] = [:]) async throws -> [String: String] {
        try await components.secretStore(store).secret(named: key, metadata: metadata)
    }

    /// Reads every secret of a store.
    public func getBulkSecret(store: String, metadata: [String: String] = [:]) async throws -> [String: [String: String]] {
        try await components.secretStore(store).bulkSecrets(metadata: metadata)
    }
}
