extension Mesh {
    /// Reads `key`, lets `update` compute its new value from the current one (`nil` when the key
    /// does not exist), and saves it only if nobody saved the key meanwhile; on an ETag mismatch
    /// it reads again and retries, at most `maxAttempts` times in all, then throws the last
    /// ``MeshError/Code/etagMismatch``. Returns the value saved.
    ///
    /// ```swift
    /// let stock = try await mesh.updateState(store: "statestore", key: "stock-mug", as: Int.self) { count in
    ///     (count ?? 100) - 1
    /// }
    /// ```
    ///
    /// The save carries the ETag it read; a key that did not exist is created with first-write
    /// concurrency, so two creators cannot both win. As in Dapr, an item created with
    /// first-write is then saved over only with its ETag, as this method does. `update` may run
    /// more than once, so it should have no other effect. Values are JSON, with
    /// ``MeshConfiguration/jsonEncoder`` and ``MeshConfiguration/jsonDecoder``.
    @discardableResult
    public func updateState<Value: Codable>(
        store: String,
        key: String,
        as type: Value.Type = Value.self,
        maxAttempts: Int = 10,
        metadata: [String: String] = [:],
        _ update: (Value?) async throws -> Value
    ) async throws -> Value {
        var attempt = 1
        while true {
            let item = try await getState(store: store, key: key, metadata: metadata)
            let current = try item?.decode(type, decoder: configuration.jsonDecoder)
            let next = try await update(current)
            let options = item?.etag == nil ? StateOptions(concurrency: .firstWrite) : StateOptions()
            do {
                try await saveState(store: store, key: key, value: next, etag: item?.etag, metadata: metadata, options: options)
                return next
            } catch let error as MeshError where error.code == .etagMismatch && attempt < maxAttempts {
                attempt += 1
            }
        }
    }
}
