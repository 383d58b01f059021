import Foundation

/// RFC 3339 timestamps, as Dapr writes them in CloudEvents and state metadata
/// (`2026-11-26T14:08:00Z`, UTC, whole seconds).
enum RFC3339 {
    /// 0001-01-01T00:00:00Z, in seconds since 1970.
    static let earliest: TimeInterval = -62_135_596_800
    /// 9999-12-31T23:59:59Z, in seconds since 1970.
    static let latest: TimeInterval = 253_402_300_799

    static func string(from date: Date) -> String {
        // Formatting by hand: Foundation's format styles cost microseconds on every publish.
        // Clamped to the years RFC 3339 can write (0001 to 9999), so that a date computed from
        // outside input (a huge TTL, a Redis TTL reply) never traps converting to time_t.
        let interval = date.timeIntervalSince1970.rounded(.down)
        var seconds = time_t(interval.isNaN ? 0 : min(max(interval, Self.earliest), Self.latest))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(unsafeUninitializedCapacity: 20) { buffer in
            var index = 0
            write(Int(parts.tm_year) + 1900, digits: 4, into: buffer, at: &index)
            write(Int(parts.tm_mon) + 1, digits: 2, after: "-", into: buffer, at: &index)
            write(Int(parts.tm_mday), digits: 2, after: "-", into: buffer, at: &index)
            write(Int(parts.tm_hour), digits: 2, after: "T", into: buffer, at: &index)
            write(Int(parts.tm_min), digits: 2, after: ":", into: buffer, at: &index)
            write(Int(parts.tm_sec), digits: 2, after: ":", into: buffer, at: &index)
            buffer[index] = UInt8(ascii: "Z")
            return index + 1
        }
    }

    static func date(from text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Writes `separator` (when given), then `value` in `digits` decimal digits, zero-padded.
    private static func write(
        _ value: Int,
        digits: Int,
        after separator: Unicode.Scalar? = nil,
        into buffer: UnsafeMutableBufferPointer<UInt8>,
        at index: inout Int
    ) {
        if let separator {
            buffer[index] = UInt8(separator.value)
            index += 1
        }
        var rest = value
        for position in stride(from: index + digits - 1, through: index, by: -1) {
            buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        index += digits
    }
}
