public import Foundation

extension Mesh {
    /// Saves raw bytes under `key`.
    ///
    /// - Parameters:
    ///   - etag: the ETag the stored item must have; a mismatch throws ``MeshError/Code/etagMismatch``.
    ///   - metadata: request metadata; `ttlInSeconds` sets a TTL and -1 removes one; a save
    ///     without it keeps the item's TTL, as Dapr's Redis store does.
    ///   - options: first-write or last-write concurrency, and consistency. An item once saved
    ///     with first-write can only be saved over with its ETag, as in Dapr's Redis store.
    public func saveState(
        store: String,
        key: String,
        data: Data,
        etag: ETag? = nil,
        metadata: [String: String] = [:],
        options: StateOptions = StateOptions()
    ) async throws {
        try await saveBulkState(
            store: store,
            items: [SaveStateItem(key: key, value: data, etag: etag, metadata: metadata, options: options)]
        )
    }

    /// Saves a value encoded as JSON (with ``MeshConfiguration/jsonEncoder``) under `key`; see ``saveState(store:key:data:etag:metadata:options:)``.
    public func saveState<Value: Encodable>(
        store: String,
        key: String,
        value: Value,
        etag: ETag? = nil,
        metadata: [String: String] = [:],
        options: StateOptions = StateOptions()
    ) async throws {
        try await saveState(
            store: store,
            key: key,
            data: try configuration.jsonEncoder.encode(value),
            etag: etag,
            metadata: metadata,
            options: options
        )
    }

    /// Reads `key`; `nil` when it does not exist (or has expired).
    public func getState(store: String, key: String, metadata: [String: String] = [:]) async throws -> StateItem? {
        let binding = try components.stateStore(store)
        let storedKey = try binding.keys.storedKey(key)
        return try await stateCall("state.get", store: store) {
            guard var item = try await binding.store.get(key: storedKey, metadata: metadata) else { return nil }
            item.key = key
            return item
        }
    }

    /// Reads `key` and decodes its JSON value with ``MeshConfiguration/jsonDecoder``; `nil` when it
    /// does not exist.
    public func getState<Value: Decodable>(store: String, key: String, as type: Value.Type, metadata: [String: String] = [:]) async throws
        -> Value?
    {
        try await getState(store: store, key: key, metadata: metadata)?.decode(type, decoder: configuration.jsonDecoder)
    }

    /// Deletes `key`; deleting a missing key without an ETag succeeds.
    public func deleteState(
        store: String,
        key: String,
        etag: ETag? = nil,
        metadata: [String: String] = [:],
        options: StateOptions = StateOptions()
    ) async throws {
        try await deleteBulkState(store: store, items: [DeleteStateItem(key: key, etag: etag, metadata: metadata, options: options)])
    }

    /// Reads several keys; each missing key yields a result with no item.
    public func getBulkState(store: String, keys: [String], metadata: [String: String] = [:]) async throws -> [BulkStateItem] {
        let binding = try components.stateStore(store)
        var prefixedKeys: [String] = []
        for key in keys { prefixedKeys.append(try binding.keys.storedKey(key)) }
        let storedKeys = prefixedKeys
        return try await stateCall("state.getBulk", store: store) {
            try await binding.store.bulkGet(keys: storedKeys, metadata: metadata).map { result in
                var result = result
                result.key = binding.keys.appKey(result.key)
                result.item?.key = result.key
                return result
            }
        }
    }

    /// Saves several items; each is checked and written on its own, and every failure is reported.
    public func saveBulkState(store: String, items: [SaveStateItem]) async throws {
        let binding = try components.stateStore(store)
        var prefixed: [SaveStateItem] = []
        for item in items {
            var item = item
            _ = try item.ttl()
            item.key = try binding.keys.storedKey(item.key)
            prefixed.append(item)
        }
        let stored = prefixed
        try await stateCall("state.set", store: store) {
            if stored.count == 1 { try await binding.store.set(stored[0]) } else { try await binding.store.bulkSet(stored) }
        }
    }

    /// Deletes several items, each on its own.
    public func deleteBulkState(store: String, items: [DeleteStateItem]) async throws {
        let binding = try components.stateStore(store)
        var prefixed: [DeleteStateItem] = []
        for item in items {
            var item = item
            item.key = try binding.keys.storedKey(item.key)
            prefixed.append(item)
        }
        let stored = prefixed
        try await stateCall("state.delete", store: store) {
            if stored.count == 1 { try await binding.store.delete(stored[0]) } else { try await binding.store.bulkDelete(stored) }
        }
    }

    /// Applies the operations in order and atomically: every ETag check passes and everything is
    /// written, or nothing is.
    public func executeStateTransaction(store: String, operations: [StateOperation], metadata: [String: String] = [:]) async throws {
        let binding = try components.stateStore(store)
        var prefixed: [StateOperation] = []
        for operation in operations {
            switch operation {
            case .upsert(var item):
                _ = try item.ttl()
                item.key = try binding.keys.storedKey(item.key)
                prefixed.append(.upsert(item))
            case .delete(var item):
                item.key = try binding.keys.storedKey(item.key)
                prefixed.append(.delete(item))
            }
        }
        let stored = prefixed
        try await stateCall("state.transaction", store: store) {
            try await binding.store.transact(stored, metadata: metadata)
        }
    }
}
