import Foundation
import Synchronization

/// `state.in-memory`: a transactional state store held in this process, with ETags and TTLs.
///
/// Every mesh on the same ``InProcessNetwork`` that declares an in-memory store with the same
/// name shares its data, as apps sharing one database do; key prefixes keep apps apart.
/// ETags are version numbers drawn from one counter, so a deleted and re-created key never
/// reuses an old ETag. Saves follow Dapr's Redis store, so an app sees the same answers on both:
/// a save without `ttlInSeconds` keeps the item's expiry (-1 removes it), and an item saved with
/// first-write can only be saved over with its ETag.
public final class InMemoryStateStore: StateStore {
    /// The Dapr component type.
    public static let componentType = "state.in-memory"

    private struct Entry {
        var value: Data
        var version: Int64
        var expiresAt: Date?
        /// Saved with first-write at least once: later saves need the ETag.
        var firstWrite: Bool
    }

    private struct Storage {
        var entries: [String: Entry] = [:]
        var lastVersion: Int64 = 0
    }

    private let storage = Mutex(Storage())
    private let clock: WallClock

    /// Creates an empty store reading time from `clock`.
    public init(clock: WallClock = .system) {
        self.clock = clock
    }

    /// The store named `name` on `network`: the one every mesh on that network declaring an
    /// in-memory store of that name uses.
    public static func instance(named name: String, in network: InProcessNetwork, clock: WallClock = .system) -> InMemoryStateStore {
        network.sharedInstance(key: "\(componentType)/\(name)") { InMemoryStateStore(clock: clock) }
    }

    static func shared(for context: ComponentContext) -> InMemoryStateStore {
        instance(named: context.name, in: context.network, clock: context.clock)
    }

    /// The stored keys (with their prefixes) of live items, sorted: for tests and diagnostics.
    public func storedKeys() -> [String] {
        let now = clock.now()
        return storage.withLock { storage in
            storage.entries.filter { Self.live($0.value, at: now) != nil }.keys.sorted()
        }
    }

    public func get(key: String, metadata: [String: String]) async throws -> StateItem? {
        let now = clock.now()
        return storage.withLock { storage in
            guard let entry = Self.live(storage.entries[key], at: now) else { return nil }
            return Self.item(key: key, entry: entry)
        }
    }

    public func bulkGet(keys: [String], metadata: [String: String]) async throws -> [BulkStateItem] {
        let now = clock.now()
        return storage.withLock { storage in
            keys.map { key in
                BulkStateItem(key: key, item: Self.live(storage.entries[key], at: now).map { Self.item(key: key, entry: $0) })
            }
        }
    }

    public func set(_ item: SaveStateItem) async throws {
        try await transact([.upsert(item)], metadata: [:])
    }

    public func delete(_ item: DeleteStateItem) async throws {
        try await transact([.delete(item)], metadata: [:])
    }

    public func transact(_ operations: [StateOperation], metadata: [String: String]) async throws {
        let now = clock.now()
        // Parse every TTL before touching anything: a bad one fails the whole transaction.
        var ttls: [StateTTL?] = []
        for operation in operations {
            if case .upsert(let item) = operation { ttls.append(try item.ttl()) } else { ttls.append(nil) }
        }
        try storage.withLock { storage throws(MeshError) in
            var staged: [String: Entry?] = [:]
            var version = storage.lastVersion
            for (operation, ttl) in zip(operations, ttls) {
                let current = staged[operation.key] ?? Self.live(storage.entries[operation.key], at: now)
                switch operation {
                case .upsert(let item):
                    try ConcurrencyCheck.verify(
                        current: current?.version,
                        etag: item.etag,
                        options: item.options,
                        key: item.key,
                        guardedByFirstWrite: current?.firstWrite ?? false
                    )
                    version += 1
                    staged[item.key] = Entry(
                        value: item.value,
                        version: version,
                        expiresAt: Self.expiry(ttl, from: now, keeping: current?.expiresAt),
                        firstWrite: (current?.firstWrite ?? false) || item.options.concurrency == .firstWrite
                    )
                case .delete(let item):
                    try ConcurrencyCheck.verify(current: current?.version, etag: item.etag, options: item.options, key: item.key)
                    staged[item.key] = .some(nil)
                }
            }
            storage.lastVersion = version
            for (key, entry) in staged {
                storage.entries[key] = entry
            }
        }
    }

    private static func live(_ entry: Entry?, at now: Date) -> Entry? {
        guard let entry else { return nil }
        if let expiresAt = entry.expiresAt, expiresAt <= now { return nil }
        return entry
    }

    /// The expiry after a save with `ttl`: none for `-1`, the item's own (`current`) when the
    /// save gives no TTL, as Dapr's Redis store sends neither `EXPIRE` nor `PERSIST` then.
    private static func expiry(_ ttl: StateTTL?, from now: Date, keeping current: Date?) -> Date? {
        switch ttl {
        case .seconds(let seconds): now.addingTimeInterval(TimeInterval(seconds))
        case .never: nil
        case nil: current
        }
    }

    private static func item(key: String, entry: Entry) -> StateItem {
        var metadata: [String: String] = [:]
        if let expiresAt = entry.expiresAt {
            metadata["ttlExpireTime"] = RFC3339.string(from: expiresAt)
        }
        return StateItem(key: key, value: entry.value, etag: ETag(String(entry.version)), metadata: metadata)
    }
}
