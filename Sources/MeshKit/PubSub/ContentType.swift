/// How a payload's content type decides where it goes in a CloudEvent, exactly as Dapr's
/// `contenttype` package decides (components-contrib `contenttype/utils.go`): a type matches when
/// it equals the expected one, lower-cased, up to its first `;`, with nothing trimmed.
enum ContentType {
    /// The content type of a CloudEvent envelope.
    static let cloudEvents = "application/cloudevents+json"
    static let json = "application/json"
    static let octetStream = "application/octet-stream"
    /// Dapr's `datacontenttype` for a payload published without a content type.
    static let plainText = "text/plain"
    static let cloudEventsProtobuf = "application/cloudevents+protobuf"

    /// `application/json` only: neither `text/json` nor a `+json` type such as
    /// `application/problem+json` is JSON to Dapr, which puts those in `data` as a string.
    static func isJSON(_ contentType: String) -> Bool {
        matches(contentType, json)
    }

    /// `application/octet-stream`, and `application/cloudevents+protobuf`: the types Dapr puts in
    /// `data_base64`. (Dapr also base64-encodes `application/x-protobuf` bytes that decode as a
    /// protobuf CloudEvent; MeshKit does not decode protobuf, so those go in `data` as a string
    /// like any other `application/x-protobuf` payload.) Every other type, `image/png` included,
    /// goes in `data` as a string.
    static func isBinary(_ contentType: String) -> Bool {
        matches(contentType, octetStream) || matches(contentType, cloudEventsProtobuf)
    }

    static func isCloudEvent(_ contentType: String?) -> Bool {
        contentType.map { matches($0, cloudEvents) } ?? false
    }

    /// Dapr's `isContentType`: `contentType` lower-cased is `expected`, or is `expected` up to its
    /// first `;`. `expected` is ASCII.
    private static func matches(_ contentType: String, _ expected: String) -> Bool {
        // Without allocating while the type is ASCII, as it nearly always is.
        let ascii = contentType.withUTF8Bytes { bytes in
            expected.withUTF8Bytes { expected -> Bool? in
                for (index, byte) in bytes.enumerated() {
                    guard byte < 0x80 else { return nil }
                    if byte == UInt8(ascii: ";") { return index == expected.count }
                    let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
                    guard index < expected.count, expected[index] == lowered else { return false }
                }
                return bytes.count == expected.count
            }
        }
        if let ascii { return ascii }
        let lowered = contentType.lowercased()
        guard let semicolon = lowered.firstIndex(of: ";") else { return lowered == expected }
        return lowered[..<semicolon] == expected
    }
}
