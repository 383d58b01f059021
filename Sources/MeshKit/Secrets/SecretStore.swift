/// A secret store component.
///
/// A secret is a small map of values: most stores hold one value per secret, keyed by the
/// secret's own name, as Dapr's local stores do without `multiValued`.
public protocol SecretStore: Shutdownable {
    /// The values of the secret `name`; throws ``MeshError/Code/secretNotFound`` when there is none.
    func secret(named name: String, metadata: [String: String]) async throws -> [String: String]
    /// Every secret the store holds.
    func bulkSecrets(metadata: [String: String]) async throws -> [String: [String: String]]
}

extension SecretStore {
    func notFound(_ name: String, in store: String) -> MeshError {
        MeshError(.secretNotFound, "the secret store has no secret named '\(name)'", context: .init(component: store, subject: name))
    }
}
