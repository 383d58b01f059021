import Foundation

/// Parses durations written the way Dapr (and Go's `time.ParseDuration`) writes them:
/// `5s`, `500ms`, `1m30s`, `1h`, `250us`, `10ns`, or a bare `0`.
enum GoDuration {
    /// Returns the duration, or `nil` when the text is not a Go duration.
    static func parse(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        var total = Duration.zero
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isNumber && $0 != "." }
            rest = rest.dropFirst(unit.count)
            guard let scale = unitScale[String(unit)] else { return nil }
            total += .nanoseconds(Int64((value * scale).rounded()))
        }
        return negative ? .zero - total : total
    }

    private static let unitScale: [String: Double] = [
        "ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9,
    ]
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var inSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
