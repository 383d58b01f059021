import Foundation

/// Writes a compact JSON object member by member, straight into its bytes.
///
/// It does not look for a name written twice: the caller writes each member once.
struct JSONObjectWriter {
    private var bytes: [UInt8]

    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Writes `"key":` followed by `raw`, which must be one JSON value. `key` is a literal with
    /// no character that JSON escapes, written as it is.
    mutating func member(_ key: StaticString, raw: Data) {
        beginMember(key)
        raw.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Writes `key`, a literal as for ``member(_:raw:)``, with a JSON string value.
    mutating func member(_ key: StaticString, string: String) {
        beginMember(key)
        JSONString.appendQuoted(string, to: &bytes)
    }

    /// Writes `"key":`, quoting `key` (which may come from anywhere), followed by `raw`, which
    /// must be one JSON value.
    mutating func member(quoting key: String, raw: Data) {
        separate()
        JSONString.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        raw.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// The object's bytes.
    consuming func finished() -> Data {
        bytes.append(UInt8(ascii: "}"))
        return Data(bytes)
    }

    private mutating func beginMember(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func separate() {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
    }
}

/// JSON string quoting.
enum JSONString {
    /// Appends `text` as a JSON string: quoted, with `"`, `\` and control characters escaped.
    static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8Bytes { utf8 in
            let raw = UnsafeRawBufferPointer(utf8)
            var index = 0
            while index < raw.count {
                let plainEnd = PlainJSONBytes.end(in: raw, from: index)
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[index..<plainEnd]))
                guard plainEnd < raw.count else { break }
                let byte = raw[plainEnd]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    appendEscape(of: byte, to: &bytes)
                } else {
                    bytes.append(byte)  // part of a multi-byte character, kept as it is
                }
                index = plainEnd + 1
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The bytes of `text` as a JSON string.
    static func quoted(_ text: String) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &bytes)
        return Data(bytes)
    }

    private static func appendEscape(of byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hex.utf8Start[Int(byte >> 4)])
            bytes.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }
}
