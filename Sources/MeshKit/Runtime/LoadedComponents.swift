/// A state store with the key mapping of its `keyPrefix`.
struct StateStoreBinding: Sendable {
    let store: any StateStore
    let keys: StateKeyMapping
    /// The component type, such as `state.redis`.
    let type: String
}

/// The components a mesh runs with, by name.
struct LoadedComponents: Sendable {
    var stateStores: [String: StateStoreBinding] = [:]
    var pubSubs: [String: any PubSub] = [:]
    var secretStores: [String: any SecretStore] = [:]

    /// Every component, for shutdown.
    var all: [any Shutdownable] {
        stateStores.values.map { $0.store as any Shutdownable } + pubSubs.values.map { $0 as any Shutdownable }
            + secretStores.values.map { $0 as any Shutdownable }
    }

    func stateStore(_ name: String) throws(MeshError) -> StateStoreBinding {
        guard let binding = stateStores[name] else {
            throw MeshError(
                .stateStoreNotFound,
                "there is no state store named '\(name)'; \(Self.describe(stateStores.keys))",
                context: .init(component: name)
            )
        }
        return binding
    }

    func pubSub(_ name: String) throws(MeshError) -> any PubSub {
        guard let pubsub = pubSubs[name] else {
            throw MeshError(
                .pubsubNotFound,
                "there is no pub/sub component named '\(name)'; \(Self.describe(pubSubs.keys))",
                context: .init(component: name)
            )
        }
        return pubsub
    }

    func secretStore(_ name: String) throws(MeshError) -> any SecretStore {
        guard let store = secretStores[name] else {
            throw MeshError(
                .secretStoreNotFound,
                "there is no secret store named '\(name)'; \(Self.describe(secretStores.keys))",
                context: .init(component: name)
            )
        }
        return store
    }

    /// The component type of state store `name`, such as `state.redis`; `nil` if there is none.
    func stateStoreType(_ name: String) -> String? {
        stateStores[name]?.type
    }

    /// "configured: a, b", or "none is configured", for a not-found error.
    private static func describe(_ names: some Sequence<String>) -> String {
        let sorted = names.sorted()
        return sorted.isEmpty ? "none is configured" : "configured: \(sorted.joined(separator: ", "))"
    }
}
