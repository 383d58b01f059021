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

    /// Splits a serialised JSON object into its members; throws when it is not one. The members'
    /// values share `data`'s storage.
    init(parsing data: Data) throws(JSONScanError) {
        let ranges = try data.withUnsafeBytes { bytes in
            Result { () throws(JSONScanError) in
                var scanner = JSONScanner(bytes: bytes)
                return try scanner.objectMembers()
            }
        }.get()
        let base = data.startIndex
        self.members = ranges.map { ($0.key, data[(base + $0.value.lowerBound)..<(base + $0.value.upperBound)]) }
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
        set(key, raw: JSONString.quoted(string))
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
        var writer = JSONObjectWriter(capacity: members.reduce(2) { $0 + $1.key.utf8.count + $1.raw.count + 4 })
        for member in members { writer.member(quoting: member.key, raw: member.raw) }
        return writer.finished()
    }
}
