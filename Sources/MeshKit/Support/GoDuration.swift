import Foundation

/// Parses durations with the grammar of Go's `time.ParseDuration`, which Dapr uses for every
/// duration it reads: an optional sign, then one or more decimal numbers (with an optional
/// fraction), each followed by a unit `ns`, `us` (or `µs`), `ms`, `s`, `m` or `h`, such as
/// `300ms`, `-1.5h` or `2h45m`; a bare `0` needs no unit.
///
/// Like Go, the total must fit in a signed 64-bit count of nanoseconds (about 292 years); a
/// larger value is an invalid duration, as Go's "invalid duration" error, never a trap.
enum GoDuration {
    /// Why a text is not a Go duration, worded as Go words it.
    struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        let description: String
    }

    /// Returns the duration, or `nil` when the text is not a Go duration.
    static func parse(_ text: String) -> Duration? {
        try? read(text)
    }

    /// Returns the duration, or throws why the text is not a Go duration.
    static func read(_ text: String) throws(Invalid) -> Duration {
        let quoted = "\"\(text.count > 64 ? text.prefix(64) + "…" : text)\""
        let invalid = Invalid(description: "invalid duration \(quoted)")
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { throw invalid }
        var total: UInt64 = 0
        while !rest.isEmpty {
            guard let first = rest.first, first == "." || first.isASCIIDigit else { throw invalid }
            let whole = rest.prefix(while: \.isASCIIDigit)
            rest = rest.dropFirst(whole.count)
            guard var value = Self.integer(whole) else { throw invalid }
            var fraction = (digits: UInt64(0), scale: 1.0)
            var hasFraction = false
            if rest.first == "." {
                rest = rest.dropFirst()
                let digits = rest.prefix(while: \.isASCIIDigit)
                rest = rest.dropFirst(digits.count)
                fraction = Self.fraction(digits)
                hasFraction = !digits.isEmpty
            }
            guard !whole.isEmpty || hasFraction else { throw invalid }
            let unitText = rest.prefix { $0 != "." && !$0.isASCIIDigit }
            rest = rest.dropFirst(unitText.count)
            guard !unitText.isEmpty else { throw Invalid(description: "missing unit in duration \(quoted)") }
            guard let unit = units[String(unitText)] else {
                throw Invalid(description: "unknown unit \"\(unitText.prefix(16))\" in duration \(quoted)")
            }
            let limit: UInt64 = 1 << 63
            guard value <= limit / unit else { throw invalid }
            value *= unit
            if fraction.digits > 0 {
                // Go adds the fraction in floating point too; the result is below `unit`, so it fits.
                value += UInt64(Double(fraction.digits) * (Double(unit) / fraction.scale))
                guard value <= limit else { throw invalid }
            }
            total += value
            guard total <= limit else { throw invalid }
        }
        if negative { return .nanoseconds(total == 1 << 63 ? Int64.min : -Int64(total)) }
        guard total <= UInt64(Int64.max) else { throw invalid }
        return .nanoseconds(Int64(total))
    }

    /// The value of a run of decimal digits; `nil` past 2⁶³, as Go's `leadingInt`.
    private static func integer(_ digits: Substring) -> UInt64? {
        var value: UInt64 = 0
        for digit in digits.utf8 {
            guard value <= (1 << 63) / 10 else { return nil }
            value = value * 10 + UInt64(digit - UInt8(ascii: "0"))
            guard value <= 1 << 63 else { return nil }
        }
        return value
    }

    /// The digits of a fraction and their scale; digits past 63 bits of precision are dropped,
    /// as Go's `leadingFraction` drops them.
    private static func fraction(_ digits: Substring) -> (digits: UInt64, scale: Double) {
        var value: UInt64 = 0
        var scale = 1.0
        for digit in digits.utf8 {
            guard value <= UInt64(Int64.max) / 10 else { break }
            let next = value * 10 + UInt64(digit - UInt8(ascii: "0"))
            guard next <= 1 << 63 else { break }
            value = next
            scale *= 10
        }
        return (value, scale)
    }

    /// Nanoseconds per unit; `µs` is accepted as the micro sign (U+00B5) and the Greek mu (U+03BC).
    private static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
        "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]
}

extension Character {
    /// Whether the character is one of the ASCII digits 0 to 9.
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var inSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
