import Testing

@testable import MeshKitHTTP

@Suite("x-meshkit-deadline carries the time left in whole milliseconds, rounded up")
struct DeadlineHeaderTests {
    @Test("the time left is rounded up to a millisecond, at least 1, and a huge one saturates rather than traps")
    func value() {
        #expect(DeadlineHeader.value(.microseconds(1_200)) == "2m")
        #expect(DeadlineHeader.value(.seconds(3)) == "3000m")
        #expect(DeadlineHeader.value(.zero) == "1m")
        #expect(DeadlineHeader.value(.milliseconds(-40)) == "1m")
        #expect(DeadlineHeader.value(.seconds(Int64.max)) == "\(Int.max)m")
    }

    @Test("a header value reads back as the time it carries; anything else is not a deadline")
    func remaining() {
        #expect(DeadlineHeader.remaining("250m") == .milliseconds(250))
        #expect(DeadlineHeader.remaining(DeadlineHeader.value(.seconds(3))) == .seconds(3))
        #expect(DeadlineHeader.remaining("250") == nil)
        #expect(DeadlineHeader.remaining("-5m") == nil)
        #expect(DeadlineHeader.remaining("m") == nil)
    }
}
