/// One state store of a mesh, so code that uses a store names it once:
///
/// ```swift
/// let orders = mesh.stateStore("statestore")
/// try await orders.save("order-1", order)
/// let order = try await orders.get("order-1", as: Order.self)
/// try await orders.update("stock-mug", as: Int.self) { ($0 ?? 100) - 1 }
/// ```
///
/// Each method is the ``Mesh`` method of the same meaning with `store:` filled in; a store that
/// does not exist throws ``MeshError/Code/stateStoreNotFound`` at the first call.
public struct StateStoreHandle: Sendable {
    /// The mesh.
    public let mesh: Mesh
    /// The store's component name.
    public let name: String

    /// Reads `key` and decodes its JSON value; `nil` when it does not exist.
    public func get<Value: Decodable>(_ key: String, as type: Value.Type = Value.self) async throws -> Value? {
        try await mesh.getState(store: name, key: key, as: type)
    }

    /// Reads `key` with its ETag; `nil` when it does not exist.
    public func item(_ key: String) async throws -> StateItem? {
        try await mesh.getState(store: name, key: key)
    }

    /// Saves `value` as JSON under `key`, checking `etag` when given.
    public func save<Value: Encodable>(_ key: String, _ value: Value, etag: ETag? = nil, metadata: [String: String] = [:]) async throws {
        try await mesh.saveState(store: name, key: key, value: value, etag: etag, metadata: metadata)
    }

    /// Deletes `key`, checking `etag` when given.
    public func delete(_ key: String, etag: ETag? = nil) async throws {
        try await mesh.deleteState(store: name, key: key, etag: etag)
    }

    /// Reads, updates and saves `key`, retrying on an ETag mismatch; see
    /// ``Mesh/updateState(store:key:as:maxAttempts:metadata:_:)``.
    @discardableResult
    public func update<Value: Codable>(
        _ key: String,
        as type: Value.Type = Value.self,
        maxAttempts: Int = 10,
        _ update: (Value?) async throws -> Value
    ) async throws -> Value {
        try await mesh.updateState(store: name, key: key, as: type, maxAttempts: maxAttempts, update)
    }
}

extension Mesh {
    /// A handle on the state store named `name`.
    public func stateStore(_ name: String) -> StateStoreHandle {
        StateStoreHandle(mesh: self, name: name)
    }
}
