import Foundation
import Logging

/// Creates a mesh's components from their resources: secret stores first, then every other
/// component with its `secretKeyRef` and `envRef` values resolved.
struct ComponentLoader {
    let appID: String
    let configuration: MeshConfiguration
    let logger: Logger

    func load(_ resources: [ComponentResource]) async throws -> LoadedComponents {
        try rejectDuplicateNames(resources)
        var components = LoadedComponents()
        let ordered =
            resources.filter { ComponentRegistry.buildingBlock(of: $0.type) == .secretstores }
            + resources.filter { ComponentRegistry.buildingBlock(of: $0.type) != .secretstores }
        for resource in ordered {
            do {
                try await add(resource, to: &components)
            } catch  where resource.ignoreErrors {
                logger.warning(
                    "skipping a component that failed to initialise (spec.ignoreErrors is true)",
                    metadata: ["component": "\(resource.name)", "error": "\(error)"]
                )
            }
        }
        if configuration.addsInMemoryDefaults && configuration.resources.isEmpty {
            try await addDefaults(to: &components)
        }
        return components
    }

    private func add(_ resource: ComponentResource, to components: inout LoadedComponents) async throws {
        let registry = configuration.registry
        let metadata = try await resolveMetadata(of: resource, secretStores: components.secretStores)
        var componentLogger = logger
        componentLogger[metadataKey: "component"] = "\(resource.name)"
        let context = ComponentContext(
            appID: appID,
            namespace: configuration.namespace,
            resource: resource,
            metadata: metadata,
            logger: componentLogger,
            clock: configuration.clock,
            network: configuration.network
        )
        switch ComponentRegistry.buildingBlock(of: resource.type) {
        case .state:
            guard let factory = registry.stateStores[resource.type] else { throw registry.unknownType(resource) }
            let keys = StateKeyMapping(
                StateKeyPrefix(metadata: metadata["keyPrefix"]),
                appID: appID,
                storeName: resource.name,
                namespace: configuration.namespace
            )
            components.stateStores[resource.name] = StateStoreBinding(store: try await factory(context), keys: keys, type: resource.type)
        case .pubsub:
            guard let factory = registry.pubSubs[resource.type] else { throw registry.unknownType(resource) }
            components.pubSubs[resource.name] = try await factory(context)
        case .secretstores:
            guard let factory = registry.secretStores[resource.type] else { throw registry.unknownType(resource) }
            components.secretStores[resource.name] = try await factory(context)
        case nil:
            throw registry.unknownType(resource)
        }
        logger.debug("component loaded", metadata: ["component": "\(resource.name)", "type": "\(resource.type)"])
    }

    private func addDefaults(to components: inout LoadedComponents) async throws {
        if components.stateStores.isEmpty {
            try await add(ComponentResource(name: "statestore", type: InMemoryStateStore.componentType), to: &components)
        }
        if components.pubSubs.isEmpty {
            try await add(ComponentResource(name: "pubsub", type: InMemoryPubSub.componentType), to: &components)
        }
    }

    private func rejectDuplicateNames(_ resources: [ComponentResource]) throws(MeshError) {
        var seen: [String: ComponentResource] = [:]
        for resource in resources {
            if let first = seen[resource.name] {
                throw MeshError(
                    .invalidConfiguration,
                    "two components are named '\(resource.name)' (the other is in \(first.header.source?.description ?? "code"))",
                    context: .init(
                        file: resource.header.source?.file,
                        line: resource.header.source?.line,
                        field: "metadata.name",
                        component: resource.name
                    )
                )
            }
            seen[resource.name] = resource
        }
    }

    /// Reads every metadata value, fetching `secretKeyRef` values from the component's secret store
    /// (`auth.secretStore`, or the only secret store when there is exactly one).
    private func resolveMetadata(of resource: ComponentResource, secretStores: [String: any SecretStore]) async throws -> ComponentMetadata
    {
        var values: [String: String] = [:]
        let environment = ProcessInfo.processInfo.environment
        for item in resource.metadata {
            let location = MeshError.Context(
                file: resource.header.source?.file,
                line: item.line ?? resource.header.source?.line,
                field: "spec.metadata.\(item.name)",
                component: resource.name
            )
            switch item.value {
            case .literal(let value):
                values[item.name] = value
            case .environment(let variable):
                guard let value = environment[variable] else {
                    throw MeshError(
                        .missingMetadata,
                        "the environment variable '\(variable)' named by envRef is not set",
                        context: location
                    )
                }
                values[item.name] = value
            case .secretKeyRef(let name, let key):
                let store = try secretStore(for: resource, among: secretStores, location: location)
                let secret: [String: String]
                do {
                    secret = try await store.secret(named: name, metadata: [:])
                } catch {
                    throw MeshError(.missingMetadata, "the secretKeyRef '\(name)' cannot be read", context: location, underlying: error)
                }
                guard let value = secret[key] else {
                    throw MeshError(.missingMetadata, "the secret '\(name)' has no key '\(key)'", context: location)
                }
                values[item.name] = value
            }
        }
        return ComponentMetadata(values, componentName: resource.name, source: resource.header.source)
    }

    private func secretStore(
        for resource: ComponentResource,
        among stores: [String: any SecretStore],
        location: MeshError.Context
    ) throws(MeshError) -> any SecretStore {
        if let name = resource.secretStore {
            guard let store = stores[name] else {
                throw MeshError(
                    .secretStoreNotFound,
                    "auth.secretStore names '\(name)', which is not a configured secret store",
                    context: location
                )
            }
            return store
        }
        guard stores.count == 1, let only = stores.values.first else {
            throw MeshError(
                .secretStoreNotFound,
                stores.isEmpty
                    ? "a secretKeyRef needs a secret store, and none is configured"
                    : "a secretKeyRef needs auth.secretStore to choose among \(stores.keys.sorted().joined(separator: ", "))",
                context: location
            )
        }
        return only
    }
}
