import Foundation
import Testing

@testable import MeshKit

@Suite("traceparents made without a tracer")
struct TraceparentTests {
    @Test("each is a valid W3C traceparent, unsampled, and no two concurrent callers get the same one")
    func randomTraceparents() async {
        let batches = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<2 {
                group.addTask { (0..<5000).map { _ in TraceContextCarrier.randomTraceparent() } }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(batches.count == 10_000)
        #expect(Set(batches).count == 10_000)
        #expect(batches.allSatisfy { $0.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-00/) != nil })
        // The hex digits are spread evenly: each of the 16 appears close to 1/16 of the time.
        var counts = [Character: Int]()
        for traceparent in batches { for digit in traceparent.dropFirst(3).prefix(32) { counts[digit, default: 0] += 1 } }
        #expect(counts.count == 16)
        #expect(counts.values.allSatisfy { abs(Double($0) / 320_000 - 1.0 / 16) < 0.01 })
    }
}

@Suite("CloudEvent IDs")
struct EventIDTests {
    @Test("each is a lower-case version 4 UUID that Foundation reads back, and they do not repeat")
    func uuids() {
        let ids = (0..<10_000).map { _ in FastRandom.uuidString() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
        }
    }
}
