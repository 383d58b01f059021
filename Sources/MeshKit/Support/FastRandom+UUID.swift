extension FastRandom {
    /// A random (version 4) UUID in lower-case text, as CloudEvent IDs are written: the format
    /// of `UUID().uuidString.lowercased()`, without its system call and bridging.
    static func uuidString() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            // 8-4-4-4-12 digits.
            HexDigits.write(high, nibbles: 0..<8, into: buffer, at: &index)
            HexDigits.write(UInt8(ascii: "-"), into: buffer, at: &index)
            HexDigits.write(high, nibbles: 8..<12, into: buffer, at: &index)
            HexDigits.write(UInt8(ascii: "-"), into: buffer, at: &index)
            HexDigits.write(high, nibbles: 12..<16, into: buffer, at: &index)
            HexDigits.write(UInt8(ascii: "-"), into: buffer, at: &index)
            HexDigits.write(low, nibbles: 0..<4, into: buffer, at: &index)
            HexDigits.write(UInt8(ascii: "-"), into: buffer, at: &index)
            HexDigits.write(low, nibbles: 4..<16, into: buffer, at: &index)
            return index
        }
    }
}
