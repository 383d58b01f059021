/// A state store with the key mapping of its `keyPrefix`.
struct StateStoreBinding: Sendable {
    let store: any StateStore
    let keys: StateKeyMapping
}

/// The components a mesh runs with, by name.
struct LoadedComponents: Sendable {
    var stateStores: [String: StateStoreBinding] = [:]
    var pubSubs: [String: any PubSub] = [:]
    var secretStores: [String: any SecretStore] = [:]

    func stateStore(_ name: String) throws(MeshError) -> StateStoreBinding {
        guard let binding = stateStores[name] else {
            throw stateStores.isEmpty
                ? MeshError(.stateStoreNotConfigured, "no state store is configured", context: .init(component: name))
                : MeshError(
                    .stateStoreNotFound,
                    "there is no state store named '\(name)'; configured: \(stateStores.keys.sorted().joined(separator: ", "))",
                    context: .init(component: name)
                )
        }
        return binding
    }

    func pubSub(_ name: String) throws(MeshError) -> any PubSub {
        guard let pubsub = pubSubs[name] else {
            throw pubSubs.isEmpty
                ? MeshError(.pubsubNotConfigured, "no pub/sub component is configured", context: .init(component: name))
                : MeshError(
                    .pubsubNotFound,
                    "there is no pub/sub component named '\(name)'; configured: \(pubSubs.keys.sorted().joined(separator: ", "))",
                    context: .init(component: name)
                )
        }
        return pubsub
    }

    func secretStore(_ name: String) throws(MeshError) -> any SecretStore {
        guard let store = secretStores[name] else {
            throw MeshError(
                .secretStoreNotFound,
                "there is no secret store named '\(name)'; configured: \(secretStores.keys.sorted().joined(separator: ", "))",
                context: .init(component: name)
            )
        }
        return store
    }
}
