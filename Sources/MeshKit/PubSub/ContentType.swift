/// How a payload's content type decides where it goes in a CloudEvent.
enum ContentType {
    /// The content type of a CloudEvent envelope.
    static let cloudEvents = "application/cloudevents+json"
    static let json = "application/json"
    static let octetStream = "application/octet-stream"
    static let plainText = "text/plain"

    /// `application/json`, `text/json` and any `+json` type.
    static func isJSON(_ contentType: String) -> Bool {
        let base = mediaType(contentType)
        return base == "application/json" || base == "text/json" || base.hasSuffix("+json")
    }

    /// `text/*` and XML types: written as a JSON string when the bytes are UTF-8.
    static func isText(_ contentType: String) -> Bool {
        let base = mediaType(contentType)
        return base.hasPrefix("text/") || base == "application/xml" || base.hasSuffix("+xml")
    }

    static func isCloudEvent(_ contentType: String?) -> Bool {
        contentType.map { mediaType($0) == cloudEvents } ?? false
    }

    /// The type without parameters, trimmed and lower-cased (`Application/JSON; charset=utf-8` →
    /// `application/json`).
    private static func mediaType(_ contentType: String) -> String {
        let base = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let trimmed = base.drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }.reversed()
        return String(decoding: trimmed, as: UTF8.self).lowercased()
    }
}
