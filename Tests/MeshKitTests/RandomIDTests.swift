import Foundation
import Testing

@testable import MeshKit

@Suite("traceparents made without a tracer")
struct TraceparentTests {
    @Test("each is a valid W3C traceparent, unsampled, and no two concurrent callers get the same one")
    func randomTraceparents() async {
        let batches = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<2 {
                group.addTask { (0..<2000).map { _ in TraceContextCarrier.randomTraceparent() } }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(batches.count == 4000)
        #expect(Set(batches).count == 4000)
        // Every one has the shape, checked byte by byte (a Regex over every string held a
        // cooperative thread for most of a second in a debug build and stalled other tests).
        #expect(batches.prefix(100).allSatisfy { $0.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-00/) != nil })
        let dashes: Set<Int> = [2, 35, 52]
        let isLowerHex = { (byte: UInt8) in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
        #expect(
            batches.allSatisfy { traceparent in
                let bytes = Array(traceparent.utf8)
                return bytes.count == 55 && bytes[0] == UInt8(ascii: "0") && bytes[1] == UInt8(ascii: "0")
                    && bytes[53] == UInt8(ascii: "0") && bytes[54] == UInt8(ascii: "0")
                    && bytes.indices.allSatisfy { dashes.contains($0) ? bytes[$0] == UInt8(ascii: "-") : isLowerHex(bytes[$0]) }
            }
        )
        // The trace ID's hex digits are spread evenly: each of the 16 appears close to 1/16 of the time.
        var counts = [Int](repeating: 0, count: 256)
        for traceparent in batches { for byte in traceparent.utf8.dropFirst(3).prefix(32) { counts[Int(byte)] += 1 } }
        let used = counts.filter { $0 > 0 }
        #expect(used.count == 16)
        #expect(used.allSatisfy { abs(Double($0) / 128_000 - 1.0 / 16) < 0.01 })
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
