import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting
import Testing

@Suite("state.redis")
struct RedisStateStoreTests {
    struct Order: Codable, Equatable {
        var id: Int
        var item: String
    }

    @Test("saves and reads values with version ETags, as Dapr does")
    func roundTrip() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            #expect(try await mesh.getState(store: "statestore", key: "order-1") == nil)
            try await mesh.saveState(store: "statestore", key: "order-1", value: Order(id: 1, item: "tea"))
            let first = try #require(try await mesh.getState(store: "statestore", key: "order-1"))
            #expect(try first.decode(Order.self) == Order(id: 1, item: "tea"))
            #expect(first.etag == "1")
            #expect(first.key == "order-1")
            try await mesh.saveState(store: "statestore", key: "order-1", value: Order(id: 1, item: "coffee"), etag: "1")
            #expect(try await mesh.getState(store: "statestore", key: "order-1")?.etag == "2")
            try await mesh.deleteState(store: "statestore", key: "order-1", etag: "2")
            #expect(try await mesh.getState(store: "statestore", key: "order-1") == nil)
            try await mesh.deleteState(store: "statestore", key: "never-written")
        }
    }

    @Test("applies Dapr's ETag rules")
    func etagRules() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await mesh.saveState(store: "statestore", key: "k", data: Data("a".utf8))
            // A stale ETag.
            #expect(
                await meshError { try await mesh.saveState(store: "statestore", key: "k", data: Data("b".utf8), etag: "7") }?.code
                    == .etagMismatch
            )
            // An ETag for a key that does not exist.
            #expect(
                await meshError { try await mesh.saveState(store: "statestore", key: "new", data: Data("b".utf8), etag: "1") }?.code
                    == .etagMismatch
            )
            // An ETag this store cannot have issued.
            #expect(
                await meshError { try await mesh.saveState(store: "statestore", key: "k", data: Data("b".utf8), etag: "abc") }?.code
                    == .etagInvalid
            )
            // first-write without an ETag needs a new key.
            let firstWrite = StateOptions(concurrency: .firstWrite)
            #expect(
                await meshError { try await mesh.saveState(store: "statestore", key: "k", data: Data("b".utf8), options: firstWrite) }?.code
                    == .etagMismatch
            )
            try await mesh.saveState(store: "statestore", key: "fresh", data: Data("b".utf8), options: firstWrite)
            #expect(try await redis.cli("HGET", "orders||fresh", "first-write") == "0")
            // last-write ignores the ETag.
            try await mesh.saveState(
                store: "statestore",
                key: "k",
                data: Data("c".utf8),
                etag: "99",
                options: StateOptions(concurrency: .lastWrite)
            )
            #expect(try await mesh.getState(store: "statestore", key: "k")?.etag == "2")
            // Deletes follow the same rules.
            #expect(await meshError { try await mesh.deleteState(store: "statestore", key: "k", etag: "1") }?.code == .etagMismatch)
            #expect(try await mesh.getState(store: "statestore", key: "k") != nil)
        }
    }

    @Test("applies the TTL in the same script; a save without one keeps it, as Dapr's does, and -1 removes it")
    func ttl() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await mesh.saveState(store: "statestore", key: "session", data: Data("x".utf8), metadata: ["ttlInSeconds": "100"])
            let ttl = try #require(Int(try await redis.cli("TTL", "orders||session")))
            #expect((90...100).contains(ttl))
            let item = try #require(try await mesh.getState(store: "statestore", key: "session"))
            let expiry = try #require(item.metadata["ttlExpireTime"].flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expiry.timeIntervalSinceNow - 100) < 10)
            // Dapr sends neither EXPIRE nor PERSIST for a save without ttlInSeconds.
            try await mesh.saveState(store: "statestore", key: "session", data: Data("y".utf8))
            #expect((90...100).contains(try #require(Int(try await redis.cli("TTL", "orders||session")))))
            #expect(try await mesh.getState(store: "statestore", key: "session")?.metadata["ttlExpireTime"] != nil)
            try await mesh.saveState(store: "statestore", key: "session", data: Data("z".utf8), metadata: ["ttlInSeconds": "50"])
            #expect((40...50).contains(try #require(Int(try await redis.cli("TTL", "orders||session")))))
            try await mesh.saveState(store: "statestore", key: "session", data: Data("w".utf8), metadata: ["ttlInSeconds": "-1"])
            #expect(try await redis.cli("TTL", "orders||session") == "-1")
            #expect(try await mesh.getState(store: "statestore", key: "session")?.metadata["ttlExpireTime"] == nil)
            // A key a Dapr app gave a TTL keeps it too.
            try await redis.cli("HSET", "orders||dapr", "data", "\"x\"", "version", "1")
            try await redis.cli("EXPIRE", "orders||dapr", "100")
            try await mesh.saveState(store: "statestore", key: "dapr", data: Data("y".utf8), etag: "1")
            #expect((90...100).contains(try #require(Int(try await redis.cli("TTL", "orders||dapr")))))
        }
    }

    @Test("uses the component's ttlInSeconds when a save gives none")
    func componentTTL() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address, state: ["ttlInSeconds": "30"])
            try await mesh.saveState(store: "statestore", key: "k", data: Data("x".utf8))
            let ttl = try #require(Int(try await redis.cli("TTL", "orders||k")))
            #expect((20...30).contains(ttl))
        }
    }

    @Test("a transaction is all or nothing")
    func transactionAtomicity() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await mesh.saveState(store: "statestore", key: "a", data: Data("a1".utf8))
            try await mesh.saveState(store: "statestore", key: "b", data: Data("b1".utf8))
            let failing: [StateOperation] = [
                .upsert(SaveStateItem(key: "a", value: Data("a2".utf8), etag: "1")),
                .delete(DeleteStateItem(key: "b")),
                .upsert(SaveStateItem(key: "c", value: Data("c1".utf8), metadata: ["ttlInSeconds": "60"])),
                .upsert(SaveStateItem(key: "b", value: Data("b2".utf8), etag: "5")),
            ]
            let error = await meshError { try await mesh.executeStateTransaction(store: "statestore", operations: failing) }
            #expect(error?.code == .etagMismatch)
            #expect(error?.context.subject == "orders||b")
            #expect(try await mesh.getState(store: "statestore", key: "a")?.value == Data("a1".utf8))
            #expect(try await mesh.getState(store: "statestore", key: "b")?.value == Data("b1".utf8))
            #expect(try await mesh.getState(store: "statestore", key: "c") == nil)

            try await mesh.executeStateTransaction(store: "statestore", operations: Array(failing.dropLast()))
            #expect(try await mesh.getState(store: "statestore", key: "a")?.etag == "2")
            #expect(try await mesh.getState(store: "statestore", key: "b") == nil)
            #expect(try await mesh.getState(store: "statestore", key: "c")?.metadata["ttlExpireTime"] != nil)
        }
    }

    @Test("bulk operations are pipelined and report each failure")
    func bulk() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            let items = (0..<50).map { SaveStateItem(key: "k\($0)", value: Data("v\($0)".utf8)) }
            try await mesh.saveBulkState(store: "statestore", items: items)
            let results = try await mesh.getBulkState(store: "statestore", keys: (0..<51).map { "k\($0)" })
            #expect(results.count == 51)
            #expect(results[7].key == "k7")
            #expect(results[7].item?.value == Data("v7".utf8))
            #expect(results[50].item == nil && results[50].error == nil)
            let error = await meshError {
                try await mesh.saveBulkState(
                    store: "statestore",
                    items: [
                        SaveStateItem(key: "k1", value: Data(), etag: "9"),
                        SaveStateItem(key: "k2", value: Data("new".utf8)),
                        SaveStateItem(key: "k3", value: Data(), etag: "9"),
                    ]
                )
            }
            #expect(error?.code == .etagMismatch)
            #expect(error?.message.contains("2 of 3") == true)
            #expect(try await mesh.getState(store: "statestore", key: "k2")?.value == Data("new".utf8))
            try await mesh.deleteBulkState(store: "statestore", items: (0..<50).map { DeleteStateItem(key: "k\($0)") })
            #expect(try await redis.cli("DBSIZE") == "0")
        }
    }

    @Test("a value larger than 1 MiB round-trips")
    func largeValue() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            // 3 MiB + 17 bytes of a repeated 4,099-byte block: appending blocks is a memcpy, where
            // mapping every byte held a cooperative thread for a noticeable time in a debug build.
            let block = Data((0..<4099).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            var value = Data(capacity: 3 * 1024 * 1024 + 17)
            while value.count < 3 * 1024 * 1024 + 17 { value.append(block.prefix(3 * 1024 * 1024 + 17 - value.count)) }
            try await mesh.saveState(store: "statestore", key: "big", data: value)
            #expect(try await mesh.getState(store: "statestore", key: "big")?.value == value)
        }
    }

    @Test("concurrent saves from many tasks all land")
    func concurrentSaves() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<500 {
                    group.addTask { try await mesh.saveState(store: "statestore", key: "c\(index % 50)", data: Data("\(index)".utf8)) }
                }
                try await group.waitForAll()
            }
            let versions = try await mesh.getBulkState(store: "statestore", keys: (0..<50).map { "c\($0)" })
                .compactMap { $0.item?.etag.flatMap { Int($0.value) } }
            #expect(versions.reduce(0, +) == 500)
        }
    }
}
