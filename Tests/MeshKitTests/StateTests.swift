import Foundation
import MeshKit
import MeshKitTesting
import Testing

@Suite("State on the in-memory store")
struct StateTests {
    @Test("a saved value reads back with an ETag; a missing key reads as nothing")
    func roundTrip() async throws {
        let mesh = try await makeMesh()
        #expect(try await mesh.getState(store: "statestore", key: "order-1") == nil)
        try await mesh.saveState(store: "statestore", key: "order-1", value: Order(id: "1", amount: 20))
        let item = try #require(try await mesh.getState(store: "statestore", key: "order-1"))
        #expect(item.key == "order-1")
        #expect(try item.decode(Order.self) == Order(id: "1", amount: 20))
        #expect(item.etag != nil)
        try await mesh.saveState(store: "statestore", key: "raw", data: Data([0, 255, 7]))
        #expect(try await mesh.getState(store: "statestore", key: "raw")?.value == Data([0, 255, 7]))
    }

    @Test("a matching ETag writes, a stale one is an etagMismatch and changes nothing")
    func etagConcurrency() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "k", value: 1)
        let first = try #require(try await mesh.getState(store: "statestore", key: "k")?.etag)
        try await mesh.saveState(store: "statestore", key: "k", value: 2, etag: first)
        let second = try #require(try await mesh.getState(store: "statestore", key: "k")?.etag)
        #expect(second != first)
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: 3, etag: first) } throws: {
            isMeshError($0, .etagMismatch)
        }
        await #expect { try await mesh.deleteState(store: "statestore", key: "k", etag: first) } throws: { isMeshError($0, .etagMismatch) }
        #expect(try await mesh.getState(store: "statestore", key: "k", as: Int.self) == 2)
        try await mesh.deleteState(store: "statestore", key: "k", etag: second)
        #expect(try await mesh.getState(store: "statestore", key: "k") == nil)
    }

    @Test("first-write without an ETag only creates; last-write ignores a stale ETag")
    func concurrencyModes() async throws {
        let mesh = try await makeMesh()
        let firstWrite = StateOptions(concurrency: .firstWrite)
        try await mesh.saveState(store: "statestore", key: "k", value: "created", options: firstWrite)
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: "again", options: firstWrite) } throws: {
            isMeshError($0, .etagMismatch)
        }
        // (An item saved with first-write needs its ETag even so: StateFirstWriteTests.)
        try await mesh.saveState(store: "statestore", key: "plain", value: "created")
        try await mesh.saveState(
            store: "statestore",
            key: "plain",
            value: "forced",
            etag: "999",
            options: StateOptions(concurrency: .lastWrite)
        )
        #expect(try await mesh.getState(store: "statestore", key: "plain", as: String.self) == "forced")
        // An ETag for a key that does not exist never matches.
        await #expect { try await mesh.saveState(store: "statestore", key: "new", value: 1, etag: "1") } throws: {
            isMeshError($0, .etagMismatch)
        }
        // Deleting a missing key without an ETag succeeds.
        try await mesh.deleteState(store: "statestore", key: "never-existed")
    }

    @Test("a deleted and re-created key never reuses an old ETag")
    func etagsNeverRepeat() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "k", value: 1)
        let old = try #require(try await mesh.getState(store: "statestore", key: "k")?.etag)
        try await mesh.deleteState(store: "statestore", key: "k")
        try await mesh.saveState(store: "statestore", key: "k", value: 2)
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: 3, etag: old) } throws: {
            isMeshError($0, .etagMismatch)
        }
    }

    @Test("ttlInSeconds expires an item; -1 keeps it forever; a re-save without a TTL keeps its expiry, as Dapr's Redis store")
    func ttl() async throws {
        let clock = ManualClock()
        let mesh = try await makeMesh(clock: clock.wallClock)
        try await mesh.saveState(store: "statestore", key: "short", value: 1, metadata: ["ttlInSeconds": "10"])
        try await mesh.saveState(store: "statestore", key: "forever", value: 2, metadata: ["ttlInSeconds": "-1"])
        try await mesh.saveState(store: "statestore", key: "reset", value: 3, metadata: ["ttlInSeconds": "10"])
        let expiring = try #require(try await mesh.getState(store: "statestore", key: "short"))
        #expect(expiring.metadata["ttlExpireTime"] == clock.now.addingTimeInterval(10).formatted(.iso8601))
        try await mesh.saveState(store: "statestore", key: "reset", value: 4)
        #expect(try await mesh.getState(store: "statestore", key: "reset")?.metadata["ttlExpireTime"] == expiring.metadata["ttlExpireTime"])
        try await mesh.saveState(store: "statestore", key: "forever", value: 2)

        clock.advance(by: 9)
        #expect(try await mesh.getState(store: "statestore", key: "short") != nil)
        clock.advance(by: 1)
        #expect(try await mesh.getState(store: "statestore", key: "short") == nil)
        #expect(try await mesh.getState(store: "statestore", key: "forever", as: Int.self) == 2)
        #expect(try await mesh.getState(store: "statestore", key: "reset") == nil)
        // An expired item counts as missing for first-write.
        try await mesh.saveState(store: "statestore", key: "short", value: 5, options: StateOptions(concurrency: .firstWrite))
    }

    @Test("a bulk get reports missing keys as empty, in order")
    func bulkGet() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveBulkState(
            store: "statestore",
            items: [
                try SaveStateItem(key: "a", json: 1), try SaveStateItem(key: "c", json: 3),
            ]
        )
        let results = try await mesh.getBulkState(store: "statestore", keys: ["a", "b", "c"])
        #expect(results.map(\.key) == ["a", "b", "c"])
        #expect(try results[0].item?.decode(Int.self) == 1)
        #expect(results[1].item == nil)
        #expect(results[1].error == nil)
        #expect(results[2].item?.key == "c")
    }

    @Test("a bulk save applies each item on its own and reports the one that failed")
    func bulkSaveReportsFailures() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "b", value: 0)
        let items = [
            try SaveStateItem(key: "a", json: 1),
            try SaveStateItem(key: "b", json: 2, etag: "12345"),
            try SaveStateItem(key: "c", json: 3),
        ]
        await #expect { try await mesh.saveBulkState(store: "statestore", items: items) } throws: { isMeshError($0, .etagMismatch) }
        #expect(try await mesh.getState(store: "statestore", key: "a", as: Int.self) == 1)
        #expect(try await mesh.getState(store: "statestore", key: "b", as: Int.self) == 0)
        #expect(try await mesh.getState(store: "statestore", key: "c", as: Int.self) == 3)
        try await mesh.deleteBulkState(store: "statestore", items: [DeleteStateItem(key: "a"), DeleteStateItem(key: "c")])
        #expect(try await mesh.getBulkState(store: "statestore", keys: ["a", "c"]).allSatisfy { $0.item == nil })
    }

    @Test("a transaction applies its operations in order")
    func transactionOrder() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "gone", value: 0)
        try await mesh.executeStateTransaction(
            store: "statestore",
            operations: [
                .upsert(try SaveStateItem(key: "x", json: 1)),
                .upsert(try SaveStateItem(key: "x", json: 2)),
                .delete(DeleteStateItem(key: "gone")),
                .upsert(try SaveStateItem(key: "y", json: 3)),
                .delete(DeleteStateItem(key: "y")),
            ]
        )
        #expect(try await mesh.getState(store: "statestore", key: "x", as: Int.self) == 2)
        #expect(try await mesh.getState(store: "statestore", key: "gone") == nil)
        #expect(try await mesh.getState(store: "statestore", key: "y") == nil)
    }

    @Test("a transaction with one failing ETag check writes nothing")
    func transactionAtomicity() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "balance", value: 100)
        let etag = try #require(try await mesh.getState(store: "statestore", key: "balance")?.etag)
        try await mesh.saveState(store: "statestore", key: "balance", value: 90)
        await #expect {
            try await mesh.executeStateTransaction(
                store: "statestore",
                operations: [
                    .upsert(try SaveStateItem(key: "audit", json: "withdrawal")),
                    .upsert(try SaveStateItem(key: "balance", json: 50, etag: etag)),
                ]
            )
        } throws: { isMeshError($0, .etagMismatch) }
        #expect(try await mesh.getState(store: "statestore", key: "audit") == nil)
        #expect(try await mesh.getState(store: "statestore", key: "balance", as: Int.self) == 90)
    }
}

@Suite("Key prefixes, as Dapr stores them")
struct KeyPrefixTests {
    @Test(
        "keyPrefix appid (the default), name, namespace, none and a custom string",
        arguments: [
            (nil, nil, "order-service||order-1"),
            ("appid", nil, "order-service||order-1"),
            ("name", nil, "shared||order-1"),
            ("namespace", "production", "production.order-service||order-1"),
            ("namespace", nil, "order-service||order-1"),
            ("none", nil, "order-1"),
            ("orders-v2", nil, "orders-v2||order-1"),
        ] as [(String?, String?, String)]
    )
    func modes(keyPrefix: String?, namespace: String?, expected: String) async throws {
        let network = InProcessNetwork()
        let mesh = try await makeMesh(
            network: network,
            components: [ComponentResource(name: "shared", type: "state.in-memory", metadata: keyPrefix.map { ["keyPrefix": $0] } ?? [:])],
            namespace: namespace
        )
        try await mesh.saveState(store: "shared", key: "order-1", value: "v")
        #expect(InMemoryStateStore.instance(named: "shared", in: network).storedKeys() == [expected])
        let item = try #require(try await mesh.getState(store: "shared", key: "order-1"))
        #expect(item.key == "order-1")
        #expect(try await mesh.getBulkState(store: "shared", keys: ["order-1"]).first?.key == "order-1")
    }

    @Test("two apps sharing a store do not see each other's keys")
    func isolation() async throws {
        let network = InProcessNetwork()
        let orders = try await makeMesh(appID: "orders", network: network)
        let billing = try await makeMesh(appID: "billing", network: network)
        try await orders.saveState(store: "statestore", key: "k", value: "orders")
        try await billing.saveState(store: "statestore", key: "k", value: "billing")
        #expect(try await orders.getState(store: "statestore", key: "k", as: String.self) == "orders")
        #expect(try await billing.getState(store: "statestore", key: "k", as: String.self) == "billing")
    }
}
