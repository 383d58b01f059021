import Foundation
public import MeshKit

/// `state.redis`: state in Redis, in Dapr's layout, so that Dapr and MeshKit apps share keys.
///
/// Each item is a hash named by its stored key (`appid||key`) with the fields `data`, `version`
/// (the ETag) and, after a first-write save, `first-write`. Writes, deletes and transactions run
/// one Lua script that checks ETags and applies TTLs atomically; a transaction is all or nothing.
/// Bulk operations are pipelined. Nothing connects until the first call, so a component whose
/// Redis is down still loads, and its calls fail with ``MeshError/Code/unavailable``.
public final class RedisStateStore: StateStore {
    /// The Dapr component type.
    public static let componentType = "state.redis"

    private let client: RedisClient
    private let writer: RedisStateWrite
    private let clock: WallClock

    /// Creates a store from its component context; a bad metadata value throws an error naming it.
    public convenience init(context: ComponentContext) throws {
        let settings = try RedisStateSettings(metadata: context.metadata)
        context.metadata.logUnknownFields(
            known: RedisConnectionOptions.metadataNames.union(RedisStateSettings.metadataNames),
            logger: context.logger
        )
        self.init(settings: settings, clock: context.clock)
    }

    init(settings: RedisStateSettings, clock: WallClock) {
        self.client = RedisClient(options: settings.connection)
        self.writer = RedisStateWrite(defaultTTL: settings.defaultTTL)
        self.clock = clock
    }

    /// Closes the connections and ends their threads; later calls fail with
    /// ``MeshError/Code/cancelled``.
    public func shutdown() async {
        await client.shutdown()
    }

    public func get(key: String, metadata: [String: String]) async throws -> StateItem? {
        let replies = try await client.send(RedisStateRead.commands(for: key))
        switch try RedisStateRead.decode(key: key, hash: replies[0], ttl: replies[1], now: clock.now()) {
        case .item(let item): return item
        case .notAHash: return try await getLegacy(key: key)
        }
    }

    public func bulkGet(keys: [String], metadata: [String: String]) async throws -> [BulkStateItem] {
        guard !keys.isEmpty else { return [] }
        let replies = try await client.send(keys.flatMap(RedisStateRead.commands(for:)))
        let now = clock.now()
        var results: [BulkStateItem] = []
        results.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() {
            do {
                switch try RedisStateRead.decode(key: key, hash: replies[2 * index], ttl: replies[2 * index + 1], now: now) {
                case .item(let item): results.append(BulkStateItem(key: key, item: item))
                case .notAHash: results.append(BulkStateItem(key: key, item: try await getLegacy(key: key)))
                }
            } catch {
                results.append(BulkStateItem(key: key, item: nil, error: "\(error)"))
            }
        }
        return results
    }

    public func set(_ item: SaveStateItem) async throws {
        try await write([.upsert(item)], code: .stateSave)
    }

    public func bulkSet(_ items: [SaveStateItem]) async throws {
        try await writeEach(items.map(StateOperation.upsert), code: .stateSave)
    }

    public func delete(_ item: DeleteStateItem) async throws {
        try await write([.delete(item)], code: .stateDelete)
    }

    public func bulkDelete(_ items: [DeleteStateItem]) async throws {
        try await writeEach(items.map(StateOperation.delete), code: .stateDelete)
    }

    public func transact(_ operations: [StateOperation], metadata: [String: String]) async throws {
        guard !operations.isEmpty else { return }
        try await write(operations, code: .stateTransaction)
    }

    /// Applies `operations` together, in one script call.
    private func write(_ operations: [StateOperation], code: MeshError.Code) async throws {
        let call = try writer.call(operations)
        let reply = try await RedisStateScripts.write.run(call, on: client)
        try writer.verify(reply, of: operations, code: code)
    }

    /// Applies each operation on its own, all in one pipeline, and reports every failure.
    private func writeEach(_ operations: [StateOperation], code: MeshError.Code) async throws {
        guard !operations.isEmpty else { return }
        var failures = BulkFailures(total: operations.count, code: code)
        var calls: [RedisScript.Call] = []
        var sent: [StateOperation] = []
        for operation in operations {
            do {
                calls.append(try writer.call([operation]))
                sent.append(operation)
            } catch {
                failures.record(key: operation.key, error)
            }
        }
        if !calls.isEmpty {
            let replies = try await RedisStateScripts.write.run(calls, on: client)
            for (operation, reply) in zip(sent, replies) {
                do {
                    try writer.verify(reply, of: [operation], code: code)
                } catch {
                    failures.record(key: operation.key, error)
                }
            }
        }
        try failures.throwIfAny()
    }

    /// Reads a key that is not a hash, as Dapr reads values written before it used hashes.
    private func getLegacy(key: String) async throws -> StateItem? {
        let replies = try await client.send([RedisCommand("GET", [.string(key)]), RedisCommand("PTTL", [.string(key)])])
        return try RedisStateRead.decodeLegacy(key: key, value: replies[0], ttl: replies[1], now: clock.now())
    }
}
