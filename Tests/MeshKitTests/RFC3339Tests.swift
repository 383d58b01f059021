import Foundation
import Testing

@testable import MeshKit

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test("timestamps are written as Dapr writes them and read back", arguments: [0.0, 1_800_000_000, 1_800_000_000.75, 951_782_400])
    func roundTrip(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let text = RFC3339.string(from: date)
        #expect(text == date.formatted(Date.ISO8601FormatStyle()))
        #expect(RFC3339.date(from: text) == Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    @Test("a date past what RFC 3339 writes, such as now plus a huge TTL, is clamped rather than trapping")
    func extremeDates() {
        let huge = Date(timeIntervalSinceNow: TimeInterval(Int.max))
        #expect(RFC3339.string(from: huge) == "9999-12-31T23:59:59Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: -1e300)) == "0001-01-01T00:00:00Z")
        #expect(RFC3339.string(from: .distantFuture).hasPrefix("4001-"))
    }
}
