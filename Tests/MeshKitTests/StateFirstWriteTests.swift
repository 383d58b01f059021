import Foundation
import MeshKit
import MeshKitTesting
import Testing

/// `state.in-memory` answers first-write and ETag saves as `state.redis` does (which follows
/// Dapr's Redis script), so an app sees the same answers on both.
@Suite struct StateFirstWriteTests {
    static let firstWrite = StateOptions(concurrency: .firstWrite)

    @Test("an item saved with first-write is saved over only with its ETag, not by a plain or last-write save; deletes are not held")
    func firstWriteItemNeedsItsETag() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "k", value: 1, options: Self.firstWrite)
        let etag = try #require(try await mesh.getState(store: "statestore", key: "k")?.etag)
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: 2) } throws: { isMeshError($0, .etagMismatch) }
        await #expect {
            try await mesh.saveState(store: "statestore", key: "k", value: 2, etag: etag, options: StateOptions(concurrency: .lastWrite))
        } throws: {
            isMeshError($0, .etagMismatch)
        }
        try await mesh.saveState(store: "statestore", key: "k", value: 3, etag: etag)
        // The mark stays after a save with the ETag.
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: 4) } throws: { isMeshError($0, .etagMismatch) }
        #expect(try await mesh.getState(store: "statestore", key: "k", as: Int.self) == 3)
        try await mesh.deleteState(store: "statestore", key: "k")
        try await mesh.saveState(store: "statestore", key: "k", value: 5)
    }

    @Test("first-write without an ETag on an existing plain item, and an ETag on a missing key, are refused (stricter than Dapr's Redis)")
    func stricterThanDapr() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "plain", value: 1)
        await #expect { try await mesh.saveState(store: "statestore", key: "plain", value: 2, options: Self.firstWrite) } throws: {
            isMeshError($0, .etagMismatch)
        }
        try await mesh.saveState(store: "statestore", key: "plain", value: 3)
        await #expect { try await mesh.saveState(store: "statestore", key: "missing", value: 1, etag: "1") } throws: {
            isMeshError($0, .etagMismatch)
        }
        #expect(try await mesh.getState(store: "statestore", key: "missing") == nil)
    }
}
