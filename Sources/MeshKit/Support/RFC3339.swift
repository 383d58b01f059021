import Foundation

/// RFC 3339 timestamps, as Dapr writes them in CloudEvents and state metadata.
enum RFC3339 {
    static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    static func date(from text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
