import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting
import Testing

@Suite("state.redis reads and writes Dapr's layout")
struct RedisInteropTests {
    @Test("keys a Dapr app wrote are read with their value and ETag")
    func readsDaprKeys() async throws {
        try await withRedis { redis in
            try await redis.cli("HSET", "orders||order-9", "data", #"{"id":9}"#, "version", "3")
            let mesh = try await makeRedisMesh(address: redis.address)
            let item = try #require(try await mesh.getState(store: "statestore", key: "order-9"))
            #expect(item.value == Data(#"{"id":9}"#.utf8))
            #expect(item.etag == "3")
            try await mesh.saveState(store: "statestore", key: "order-9", data: Data("next".utf8), etag: "3")
            #expect(try await redis.cli("HGET", "orders||order-9", "version") == "4")
        }
    }

    @Test("keys MeshKit writes have exactly Dapr's layout")
    func writesDaprLayout() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await mesh.saveState(store: "statestore", key: "order-1", data: Data(#"{"id":1}"#.utf8))
            #expect(try await redis.cli("TYPE", "orders||order-1") == "hash")
            let fields = try await redis.cli("HGETALL", "orders||order-1").split(separator: "\n").map(String.init)
            var hash: [String: String] = [:]
            for index in stride(from: 0, to: fields.count - 1, by: 2) { hash[fields[index]] = fields[index + 1] }
            let expected: [String: String] = ["data": #"{"id":1}"#, "version": "1"]
            #expect(hash == expected)
            #expect(try await redis.cli("TTL", "orders||order-1") == "-1")
            try await mesh.saveState(store: "statestore", key: "order-1", data: Data("x".utf8), metadata: ["ttlInSeconds": "40"])
            #expect(Int(try await redis.cli("TTL", "orders||order-1")) ?? 0 > 30)
        }
    }

    @Test("a legacy plain-string value is read without an ETag, and a save turns it into a hash")
    func legacyString() async throws {
        try await withRedis { redis in
            try await redis.cli("SET", "orders||old", "plain")
            let mesh = try await makeRedisMesh(address: redis.address)
            let item = try #require(try await mesh.getState(store: "statestore", key: "old"))
            #expect(item.value == Data("plain".utf8))
            #expect(item.etag == nil)
            #expect(
                await meshError { try await mesh.saveState(store: "statestore", key: "old", data: Data(), etag: "1") }?.code
                    == .etagMismatch
            )
            try await mesh.saveState(store: "statestore", key: "old", data: Data("new".utf8))
            #expect(try await redis.cli("TYPE", "orders||old") == "hash")
            #expect(try await mesh.getState(store: "statestore", key: "old")?.etag == "1")
        }
    }

    @Test("a key holding another type is a clear error, not a crash")
    func wrongType() async throws {
        try await withRedis { redis in
            try await redis.cli("RPUSH", "orders||list", "a", "b")
            let mesh = try await makeRedisMesh(address: redis.address)
            let read = await meshError { _ = try await mesh.getState(store: "statestore", key: "list") }
            #expect(read?.code == .stateGet)
            #expect(read?.message.contains("neither a hash nor a string") == true)
            let write = await meshError { try await mesh.saveState(store: "statestore", key: "list", data: Data("x".utf8)) }
            #expect(write?.code == .stateSave)
            #expect(write?.message.contains("list") == true)
            #expect(try await redis.cli("LLEN", "orders||list") == "2")
            let bulk = try await mesh.getBulkState(store: "statestore", keys: ["list"])
            #expect(bulk.first?.error != nil)
        }
    }

    @Test("the script is reloaded after SCRIPT FLUSH")
    func scriptReload() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(address: redis.address)
            try await mesh.saveState(store: "statestore", key: "a", data: Data("1".utf8))
            try await redis.cli("SCRIPT", "FLUSH")
            try await mesh.saveState(store: "statestore", key: "a", data: Data("2".utf8))
            #expect(try await mesh.getState(store: "statestore", key: "a")?.etag == "2")
        }
    }
}
