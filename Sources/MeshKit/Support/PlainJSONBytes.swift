/// Finds where a run of bytes that a JSON string holds as they are ends: printable ASCII other
/// than `"` and `\`. Looked at eight bytes at a time, since CloudEvent attributes and payloads
/// are mostly such runs.
enum PlainJSONBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first byte at or after `start` that is not plain: a control character,
    /// `"`, `\`, or a byte of a multi-byte UTF-8 sequence; `bytes.count` when there is none.
    static func end(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let special = lessThanSpace(word) | (word & highBits) | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
            // The lowest flagged byte is always a true one: a false flag needs a borrow from below.
            if special != 0 { return index + special.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < bytes.count, isPlain(bytes[index]) { index += 1 }
        return index
    }

    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    /// The high bit of each byte of `word` below 0x20 (of ASCII bytes; others are caught apart).
    private static func lessThanSpace(_ word: UInt64) -> UInt64 {
        (word &- ones &* 0x20) & ~word & highBits
    }

    /// The high bit of each zero byte of `word`.
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }
}
