/// A state store component.
///
/// The mesh validates keys, applies the key prefix and parses `ttlInSeconds` before calling a
/// store, so a store receives the full stored key (`appid||key`) and may rely on the TTL being valid.
/// Stores report ETag conflicts with ``MeshError/Code/etagMismatch`` and malformed ETags with
/// ``MeshError/Code/etagInvalid``.
public protocol StateStore: Shutdownable {
    /// Reads one item; `nil` when the key does not exist.
    func get(key: String, metadata: [String: String]) async throws -> StateItem?
    /// Reads several items; a missing key yields a result with no item.
    func bulkGet(keys: [String], metadata: [String: String]) async throws -> [BulkStateItem]
    /// Writes one item, checking its ETag according to its options.
    func set(_ item: SaveStateItem) async throws
    /// Writes several items; each is checked and applied on its own, as in Dapr.
    func bulkSet(_ items: [SaveStateItem]) async throws
    /// Deletes one item; deleting a missing key without an ETag succeeds.
    func delete(_ item: DeleteStateItem) async throws
    /// Deletes several items, each on its own.
    func bulkDelete(_ items: [DeleteStateItem]) async throws
    /// Applies the operations in order, all or nothing.
    func transact(_ operations: [StateOperation], metadata: [String: String]) async throws
}

extension StateStore {
    public func bulkGet(keys: [String], metadata: [String: String]) async throws -> [BulkStateItem] {
        var results: [BulkStateItem] = []
        results.reserveCapacity(keys.count)
        for key in keys {
            do {
                results.append(BulkStateItem(key: key, item: try await get(key: key, metadata: metadata)))
            } catch {
                results.append(BulkStateItem(key: key, item: nil, error: "\(error)"))
            }
        }
        return results
    }

    public func bulkSet(_ items: [SaveStateItem]) async throws {
        try await BulkFailures.attemptEach(items, keyedBy: \.key, code: .stateSave) { try await set($0) }
    }

    public func bulkDelete(_ items: [DeleteStateItem]) async throws {
        try await BulkFailures.attemptEach(items, keyedBy: \.key, code: .stateDelete) { try await delete($0) }
    }
}
