import Foundation

/// Why bytes are not the JSON expected of them, and where.
struct JSONScanError: Error, Sendable, CustomStringConvertible {
    let offset: Int
    let reason: String
    var description: String { "\(reason) at byte \(offset)" }
}

/// Checks JSON (RFC 8259) and finds the extent of values without building them.
///
/// Strings may hold any bytes but the escapes and controls JSON forbids, as Go's `encoding/json`
/// reads them; only ``isValid(_:)`` also asks for valid UTF-8.
struct JSONScanner {
    /// How deep arrays and objects may nest, as Foundation's JSON parser allows.
    static let maximumDepth = 512

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    /// False once a string held bytes that are not UTF-8.
    private var isValidUTF8 = true
    private var depth = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Whether `data` is one JSON value, of any kind, with only white space around it, and valid
    /// UTF-8: what `JSONSerialization` accepts with `.fragmentsAllowed`.
    static func isValid(_ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var scanner = JSONScanner(bytes: bytes)
            do {
                scanner.skipSpace()
                try scanner.skipValue()
                try scanner.expectEnd()
                return scanner.isValidUTF8
            } catch {
                return false
            }
        }
    }

    /// Reads a whole JSON object: its members' names and the byte ranges of their values, in
    /// order. Throws when the bytes are anything else.
    mutating func objectMembers() throws(JSONScanError) -> [(key: String, value: Range<Int>)] {
        skipSpace()
        var members: [(key: String, value: Range<Int>)] = []
        members.reserveCapacity(16)  // a CloudEvent has a dozen or so attributes
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek == UInt8(ascii: "}") {
            index += 1
            try expectEnd()
            return members
        }
        while true {
            skipSpace()
            let keyStart = index
            let hasEscapes = try skipString()
            let key = try Self.name(UnsafeRawBufferPointer(rebasing: bytes[(keyStart + 1)..<(index - 1)]), hasEscapes: hasEscapes, at: keyStart)
            skipSpace()
            try expect(UInt8(ascii: ":"))
            skipSpace()
            let valueStart = index
            try skipValue()
            members.append((key, valueStart..<index))
            skipSpace()
            if peek == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            try expectEnd()
            return members
        }
    }

    private static func name(_ inner: UnsafeRawBufferPointer, hasEscapes: Bool, at offset: Int) throws(JSONScanError) -> String {
        guard hasEscapes else { return String(decoding: inner, as: UTF8.self) }
        var quoted = Data([UInt8(ascii: "\"")])
        quoted.append(contentsOf: inner)
        quoted.append(UInt8(ascii: "\""))
        guard let decoded = try? JSONDecoder().decode(String.self, from: quoted) else {
            throw JSONScanError(offset: offset, reason: "malformed member name")
        }
        return decoded
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ byte: UInt8) throws(JSONScanError) {
        guard peek == byte else {
            throw JSONScanError(offset: index, reason: "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func expectEnd() throws(JSONScanError) {
        skipSpace()
        guard index == bytes.count else { throw JSONScanError(offset: index, reason: "unexpected data after the value") }
    }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            index += 1
        }
    }

    /// Skips one value, checking its syntax all the way down.
    private mutating func skipValue() throws(JSONScanError) {
        guard let byte = peek else { throw JSONScanError(offset: index, reason: "expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            _ = try skipString()
        case UInt8(ascii: "{"):
            try skipContainer(closing: UInt8(ascii: "}"), areMembers: true)
        case UInt8(ascii: "["):
            try skipContainer(closing: UInt8(ascii: "]"), areMembers: false)
        case UInt8(ascii: "t"):
            try skipLiteral("true")
        case UInt8(ascii: "f"):
            try skipLiteral("false")
        case UInt8(ascii: "n"):
            try skipLiteral("null")
        default:
            try skipNumber()
        }
    }

    /// Skips an object's members (`areMembers`) or an array's elements after the opening
    /// bracket at `index`, up to and including `closing`.
    private mutating func skipContainer(closing: UInt8, areMembers: Bool) throws(JSONScanError) {
        guard depth < Self.maximumDepth else { throw JSONScanError(offset: index, reason: "nested too deeply") }
        depth += 1
        index += 1
        skipSpace()
        if peek == closing {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipSpace()
            if areMembers {
                _ = try skipString()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
            }
            try skipValue()
            skipSpace()
            guard peek == UInt8(ascii: ",") else { break }
            index += 1
        }
        try expect(closing)
        depth -= 1
    }

    private mutating func skipLiteral(_ literal: StaticString) throws(JSONScanError) {
        let count = literal.utf8CodeUnitCount
        let matches =
            index + count <= bytes.count
            && literal.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
            }
        guard matches else { throw JSONScanError(offset: index, reason: "malformed value") }
        index += count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, within a `Double`'s range: Go's
    /// `encoding/json` cannot read `1e400` into a value, and Foundation refuses it too.
    private mutating func skipNumber() throws(JSONScanError) {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        var integerDigits = 1
        if peek == UInt8(ascii: "0") {
            index += 1
        } else {
            integerDigits = skipDigits()
            guard integerDigits > 0 else { throw JSONScanError(offset: start, reason: "malformed value") }
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw JSONScanError(offset: start, reason: "malformed number") }
        }
        var hasExponent = false
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            hasExponent = true
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw JSONScanError(offset: start, reason: "malformed number") }
        }
        // Only an exponent or some 300 digits can leave the range.
        if hasExponent || integerDigits > 300 {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else { throw JSONScanError(offset: start, reason: "number out of range") }
        }
    }

    private mutating func skipDigits() -> Int {
        let first = index
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
        return index - first
    }

    /// Skips a string, quotes included; returns whether it holds escapes.
    private mutating func skipString() throws(JSONScanError) -> Bool {
        let start = index
        try expect(UInt8(ascii: "\""))
        var hasEscapes = false
        while true {
            index = PlainJSONBytes.end(in: bytes, from: index)
            guard index < bytes.count else { throw JSONScanError(offset: start, reason: "unterminated string") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return hasEscapes
            case UInt8(ascii: "\\"):
                hasEscapes = true
                try skipEscape()
            case ..<0x20:
                throw JSONScanError(offset: index, reason: "control character in a string")
            default:
                skipUTF8Sequence()
            }
        }
    }

    private mutating func skipEscape() throws(JSONScanError) {
        let start = index
        index += 1
        guard let byte = peek else { throw JSONScanError(offset: start, reason: "unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            guard index + 4 <= bytes.count, (0..<4).allSatisfy({ bytes[index + $0].isHexDigit }) else {
                throw JSONScanError(offset: start, reason: "malformed \\u escape")
            }
            index += 4
        default:
            throw JSONScanError(offset: start, reason: "unknown escape")
        }
    }

    /// Skips the UTF-8 sequence at `index`; a byte that starts none is skipped alone and clears
    /// ``isValidUTF8``.
    private mutating func skipUTF8Sequence() {
        guard let (_, width) = UTF8Sequence.decode(bytes, at: index) else {
            isValidUTF8 = false
            index += 1
            return
        }
        index += width
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self | 0x20)
    }
}
