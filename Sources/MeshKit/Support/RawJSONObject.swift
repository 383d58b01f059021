import Foundation

/// A JSON object kept as its members' raw bytes, in order.
///
/// CloudEvents pass through MeshKit this way: attributes are read and written as needed, and
/// every other member, `data` above all, keeps its exact bytes. Re-encoding JSON through a
/// generic decoder would turn 12345678901234567890 into a rounded double; this never does.
struct RawJSONObject: Sendable {
    private(set) var members: [(key: String, raw: Data)]

    init() {
        self.members = []
    }

    /// Splits a serialised JSON object into its members; throws when it is not one.
    init(parsing data: Data) throws(JSONScanError) {
        var scanner = JSONScanner(bytes: Array(data))
        self.members = try scanner.objectMembers()
    }

    /// The raw bytes of `key`'s value.
    func raw(_ key: String) -> Data? {
        members.first { $0.key == key }?.raw
    }

    /// `key`'s value if it is a JSON string.
    func string(_ key: String) -> String? {
        guard let raw = raw(key) else { return nil }
        // Most attribute values have no escapes: read their bytes directly, without a decoder.
        let plain: String?? = raw.withUnsafeBytes { bytes in
            guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else { return .some(nil) }
            let inner = UnsafeRawBufferPointer(rebasing: bytes[1..<(bytes.count - 1)])
            guard !inner.contains(UInt8(ascii: "\\")) else { return nil }
            return .some(String(decoding: inner, as: UTF8.self))
        }
        if let plain { return plain }
        return try? JSONDecoder().decode(String.self, from: raw)
    }

    /// `key`'s value as a ``JSONValue``.
    func value(_ key: String) -> JSONValue? {
        guard let raw = raw(key) else { return nil }
        return try? JSONValue.parse(raw)
    }

    /// Sets `key` to raw JSON bytes, keeping its position if it exists.
    mutating func set(_ key: String, raw: Data) {
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].raw = raw
        } else {
            members.append((key, raw))
        }
    }

    /// Sets `key` to a JSON string.
    mutating func set(_ key: String, string: String) {
        set(key, raw: Data(JSONString.quoted(string).utf8))
    }

    /// Sets `key` to a JSON string unless it already has a value.
    mutating func setIfAbsent(_ key: String, string: String) {
        if raw(key) == nil { set(key, string: string) }
    }

    mutating func remove(_ key: String) {
        members.removeAll { $0.key == key }
    }

    /// The object as compact JSON, members in order.
    func serialized() -> Data {
        var output: [UInt8] = []
        output.reserveCapacity(members.reduce(2) { $0 + $1.key.utf8.count + $1.raw.count + 4 })
        output.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: JSONString.quoted(member.key).utf8)
            output.append(UInt8(ascii: ":"))
            member.raw.withUnsafeBytes { output.append(contentsOf: $0) }
        }
        output.append(UInt8(ascii: "}"))
        return Data(output)
    }
}

/// Why bytes are not a JSON object.
struct JSONScanError: Error, Sendable, CustomStringConvertible {
    let offset: Int
    let reason: String
    var description: String { "\(reason) at byte \(offset)" }
}

/// JSON string quoting.
enum JSONString {
    static func quoted(_ text: String) -> String {
        // Most names and attribute values need no escaping.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                result += String(format: "\\u%04x", control.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// Finds the extent of JSON values without building them.
private struct JSONScanner {
    let bytes: [UInt8]
    var index = 0

    mutating func objectMembers() throws(JSONScanError) -> [(key: String, raw: Data)] {
        skipSpace()
        try expect(UInt8(ascii: "{"))
        var members: [(key: String, raw: Data)] = []
        skipSpace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return try finish(members)
        }
        while true {
            skipSpace()
            let keyStart = index
            try skipString()
            let quoted = bytes[keyStart..<index]
            let key: String
            if !quoted.contains(UInt8(ascii: "\\")) {
                key = String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
            } else if let decoded = try? JSONDecoder().decode(String.self, from: Data(quoted)) {
                key = decoded
            } else {
                throw JSONScanError(offset: keyStart, reason: "malformed member name")
            }
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            let valueStart = index
            try skipValue()
            members.append((key, Data(bytes[valueStart..<index])))
            skipSpace()
            if peek == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return try finish(members)
        }
    }

    private mutating func finish(_ members: [(key: String, raw: Data)]) throws(JSONScanError) -> [(key: String, raw: Data)] {
        skipSpace()
        guard index == bytes.count else { throw JSONScanError(offset: index, reason: "unexpected data after the object") }
        return members
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ byte: UInt8) throws(JSONScanError) {
        guard peek == byte else {
            throw JSONScanError(offset: index, reason: "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            index += 1
        }
    }

    private mutating func skipString() throws(JSONScanError) {
        let start = index
        try expect(UInt8(ascii: "\""))
        while let byte = peek {
            index += 1
            if byte == UInt8(ascii: "\\") {
                index += 1
            } else if byte == UInt8(ascii: "\"") {
                return
            }
        }
        throw JSONScanError(offset: start, reason: "unterminated string")
    }

    private mutating func skipValue() throws(JSONScanError) {
        guard let byte = peek else { throw JSONScanError(offset: index, reason: "expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = index
            var depth = 0
            while let current = peek {
                switch current {
                case UInt8(ascii: "\""):
                    try skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                default:
                    break
                }
                index += 1
                if depth == 0 { return }
            }
            throw JSONScanError(offset: start, reason: "unterminated object or array")
        default:
            let start = index
            while let current = peek, !",}] \n\r\t".utf8.contains(current) {
                index += 1
            }
            let literal = String(decoding: bytes[start..<index], as: UTF8.self)
            guard ["true", "false", "null"].contains(literal) || Double(literal) != nil else {
                throw JSONScanError(offset: start, reason: "malformed value '\(literal)'")
            }
        }
    }
}
