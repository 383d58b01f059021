import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting
import Testing

/// `state.redis` on items a Dapr app wrote (a hash with `data`, `version` and, after a
/// first-write save, `first-write`), checked against what Dapr's `setDefaultQuery` does with the
/// same data (components-contrib `state/redis/redis.go`). Where MeshKit is stricter, the test
/// says so; the README lists those differences.
@Suite("state.redis on a Dapr app's items")
struct RedisDaprStateParityTests {
    static let firstWrite = StateOptions(concurrency: .firstWrite)

    /// Writes `orders||key` as a Dapr app's save leaves it.
    static func daprItem(_ redis: RedisServer, _ key: String, version: Int, firstWrite: Bool) async throws {
        var fields = ["HSET", "orders||\(key)", "data", #""dapr""#, "version", String(version)]
        if firstWrite { fields += ["first-write", "0"] }
        _ = try await redis.cli(fields)
    }

    @Test("a plain save of an item that carries first-write fails, as in Dapr; only its ETag saves over it, and the mark stays")
    func firstWriteItemNeedsItsETag() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await Self.daprItem(redis, "k", version: 3, firstWrite: true)
            let plain = await meshError { try await mesh.saveState(store: "statestore", key: "k", data: Data("a".utf8)) }
            #expect(plain?.code == .etagMismatch)
            // last-write ignores the ETag, so Dapr's script sees version 0 and refuses too.
            let lastWrite = await meshError {
                try await mesh.saveState(
                    store: "statestore",
                    key: "k",
                    data: Data("a".utf8),
                    etag: "3",
                    options: StateOptions(concurrency: .lastWrite)
                )
            }
            #expect(lastWrite?.code == .etagMismatch)
            #expect(try await redis.cli("HGET", "orders||k", "data") == #""dapr""#)
            try await mesh.saveState(store: "statestore", key: "k", data: Data("b".utf8), etag: "3")
            #expect(try await redis.cli("HGET", "orders||k", "version") == "4")
            #expect(try await redis.cli("HGET", "orders||k", "first-write") == "0")
            // A MeshKit first-write save marks the item the same way.
            try await mesh.saveState(store: "statestore", key: "mine", data: Data("c".utf8), options: Self.firstWrite)
            #expect(
                await meshError { try await mesh.saveState(store: "statestore", key: "mine", data: Data("d".utf8)) }?.code == .etagMismatch
            )
            // Deletes are not held by the mark (Dapr's delete script ignores it).
            try await mesh.deleteState(store: "statestore", key: "k")
            #expect(try await redis.cli("EXISTS", "orders||k") == "0")
        }
    }

    @Test("first-write without an ETag on an item saved without first-write: Dapr saves it, MeshKit (stricter) refuses")
    func firstWriteOnAPlainItemIsRefused() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await Self.daprItem(redis, "k", version: 1, firstWrite: false)
            let error = await meshError {
                try await mesh.saveState(store: "statestore", key: "k", data: Data("a".utf8), options: Self.firstWrite)
            }
            #expect(error?.code == .etagMismatch)
            #expect(try await redis.cli("HGET", "orders||k", "data") == #""dapr""#)
            #expect(try await redis.cli("HEXISTS", "orders||k", "first-write") == "0")
        }
    }

    @Test("an ETag on a key that does not exist: Dapr creates the key, MeshKit (stricter) refuses")
    func etagOnAMissingKeyIsRefused() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            let error = await meshError { try await mesh.saveState(store: "statestore", key: "gone", data: Data("a".utf8), etag: "1") }
            #expect(error?.code == .etagMismatch)
            #expect(try await redis.cli("EXISTS", "orders||gone") == "0")
        }
    }

    @Test("a re-save without ttlInSeconds keeps the TTL in a transaction too; -1 removes it")
    func ttlInTransactions() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await mesh.saveState(store: "statestore", key: "t", data: Data("a".utf8), metadata: ["ttlInSeconds": "100"])
            try await mesh.executeStateTransaction(
                store: "statestore",
                operations: [.upsert(SaveStateItem(key: "t", value: Data("b".utf8)))]
            )
            #expect((90...100).contains(try #require(Int(try await redis.cli("TTL", "orders||t")))))
            try await mesh.executeStateTransaction(
                store: "statestore",
                operations: [.upsert(SaveStateItem(key: "t", value: Data("c".utf8), metadata: ["ttlInSeconds": "-1"]))]
            )
            #expect(try await redis.cli("TTL", "orders||t") == "-1")
        }
    }
}
