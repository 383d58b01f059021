/// Lower-case hexadecimal digits written straight into a string's storage, for the IDs MeshKit
/// formats on every call (W3C trace IDs, CloudEvent IDs).
enum HexDigits {
    private static let digits: StaticString = "0123456789abcdef"

    /// Writes the digits of `word` numbered `nibbles` (0 is the most significant of 16) at
    /// `index`, and moves `index` past them.
    static func write(
        _ word: UInt64,
        nibbles: Range<Int> = 0..<16,
        into buffer: UnsafeMutableBufferPointer<UInt8>,
        at index: inout Int
    ) {
        for nibble in nibbles {
            buffer[index] = digits.utf8Start[Int((word >> UInt64(60 - nibble * 4)) & 0xF)]
            index += 1
        }
    }

    /// Writes one ASCII byte at `index` and moves `index` past it.
    static func write(_ byte: UInt8, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        buffer[index] = byte
        index += 1
    }
}
