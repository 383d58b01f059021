import Foundation
import Testing

@testable import MeshKit

/// Numbers from outside (resource fields, headers) never reach an integer conversion that traps:
/// out of range is a typed error, or a wait clamped to the longest duration.
@Suite("Numeric fields and headers never trap on extreme values")
struct NumericInputTests {
    @Test("a huge or infinite requestsPerSecond is an error naming the field", arguments: ["1e300", "inf", "1e10"])
    func hugeRate(rate: String) throws {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: rates
            spec:
              policies:
                rateLimits:
                  fast:
                    requestsPerSecond: "\(rate)"
              targets: {}
            """
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "rates.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.context.field == "spec.policies.rateLimits.fast")
        #expect(error.description.contains("requestsPerSecond"))
    }

    @Test("a Retry-After far in the future is a long wait, not a trap; garbage is ignored")
    func retryAfterExtremes() {
        let now = Date(timeIntervalSince1970: 0)
        #expect(InvocationVerdict.retryAfter("99999999999999999999", now: now) == nil)
        #expect(InvocationVerdict.retryAfter("-1", now: now) == nil)
        #expect(InvocationVerdict.retryAfter("120", now: now) == .seconds(120))
        let farFuture = InvocationVerdict.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now: now)
        #expect(farFuture == .longest, "past 292 years a wait is the longest duration")
        #expect(InvocationVerdict.retryAfter("Thu, 01 Jan 1970 00:00:00 GMT", now: Date(timeIntervalSince1970: 60)) == .zero)
    }

    @Test("a Retry-After date is read in each of the three HTTP-date formats (RFC 9110)", arguments: [
        "Sun, 06 Nov 1994 08:51:37 GMT", "Sunday, 06-Nov-94 08:51:37 GMT", "Sun Nov  6 08:51:37 1994",
    ])
    func retryAfterDateFormats(value: String) {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(InvocationVerdict.retryAfter(value, now: now) == .seconds(120))
    }

    @Test("an RFC 850 two-digit year more than 50 years ahead is in the century before")
    func retryAfterTwoDigitYear() {
        let now = Date(timeIntervalSince1970: 1_796_083_200)  // Tue, 01 Dec 2026 00:00:00 GMT
        // 2070 is 44 years ahead: a wait of about 44 years, not a date in 1970.
        let ahead = InvocationVerdict.retryAfter("Monday, 01-Dec-70 00:00:00 GMT", now: now)
        #expect(ahead.map { $0 > .seconds(43 * 365 * 86_400) } == true)
        // 2080 would be 54 years ahead: it is 1980, in the past, so no wait at all.
        #expect(InvocationVerdict.retryAfter("Monday, 01-Dec-80 00:00:00 GMT", now: now) == .zero)
        // The edge: exactly 50 years ahead is still ahead; a second or a year more is not.
        let fifty = InvocationVerdict.retryAfter("Tuesday, 01-Dec-76 00:00:00 GMT", now: now)
        #expect(fifty.map { $0 > .seconds(49 * 365 * 86_400) } == true)
        #expect(InvocationVerdict.retryAfter("Tuesday, 01-Dec-76 00:00:01 GMT", now: now) == .zero)
        #expect(InvocationVerdict.retryAfter("Wednesday, 01-Dec-77 00:00:00 GMT", now: now) == .zero)
    }

    /// Found by `scripts/fuzz.sh` (FuzzHTTPHead): Foundation's `DateFormatter` trapped on it.
    @Test("a Retry-After date with bytes outside ASCII is ignored, not a trap")
    func retryAfterOutsideASCII() {
        let bytes: [UInt8] = Array("Fri, 31".utf8) + [0xDC, 0xBB, 0x9A, 0x9C] + Array(" 9999 23:59:59 GMT".utf8)
        let value = String(decoding: bytes, as: UTF8.self)
        #expect(InvocationVerdict.retryAfter(value, now: Date(timeIntervalSince1970: 0)) == nil)
        #expect(InvocationVerdict.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT\u{1}", now: Date(timeIntervalSince1970: 0)) == nil)
        #expect(InvocationVerdict.retryAfter("Thu, 01 Jan 1970 00:02:00 GMT", now: Date(timeIntervalSince1970: 0)) == .seconds(120))
    }

    @Test("a duration in whole nanoseconds saturates at Int64's bounds rather than trapping")
    func wholeNanoseconds() {
        #expect(Duration.milliseconds(1_500).wholeNanoseconds == 1_500_000_000)
        #expect(Duration.nanoseconds(-7).wholeNanoseconds == -7)
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
        #expect(Duration.seconds(Int64.min).wholeNanoseconds == .min)
        #expect((Duration.nanoseconds(Int64.max) + .nanoseconds(1)).wholeNanoseconds == .max)
    }

    @Test("exponential backoff with extreme settings stays within its maximum")
    func backoffExtremes() {
        let policy = RetryPolicy(
            backoff: .exponential(initialInterval: .longest, multiplier: .nan, maxInterval: .longest, randomizationFactor: 0.5),
            maxRetries: Int.max
        )
        #expect(policy.interval(beforeRetry: Int.max) <= .longest)
        #expect(policy.jitteredInterval(beforeRetry: 3) <= .longest)
        #expect(policy.allowsRetry(afterAttempt: Int.max))
    }

    @Test("seconds are clamped into the range of a Go duration", arguments: [
        (Double.nan, Duration.zero), (-5, .zero), (.infinity, .longest), (1e300, .longest), (1.5, .milliseconds(1500)),
    ])
    func clampedSeconds(seconds: Double, expected: Duration) {
        #expect(Duration.clampedSeconds(seconds) == expected)
    }
}
