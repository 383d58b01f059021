/// Well-formed UTF-8 sequences, as Unicode's Table 3-7 defines them and Go's `utf8.DecodeRune`
/// accepts them.
enum UTF8Sequence {
    /// The scalar of the well-formed sequence that starts at `index`, and its width; nil when
    /// none starts there.
    static func decode<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: Int) -> (Unicode.Scalar, Int)?
    where Bytes.Index == Int {
        let first = bytes[index]
        if first < 0x80 { return (Unicode.Scalar(first), 1) }
        let (width, low, high): (Int, UInt8, UInt8) =
            switch first {
            case 0xC2...0xDF: (2, 0x80, 0xBF)
            case 0xE0: (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80, 0xBF)
            case 0xED: (3, 0x80, 0x9F)
            case 0xF0: (4, 0x90, 0xBF)
            case 0xF1...0xF3: (4, 0x80, 0xBF)
            case 0xF4: (4, 0x80, 0x8F)
            default: (0, 0, 0)
            }
        guard width > 0, index + width <= bytes.endIndex, (low...high).contains(bytes[index + 1]) else { return nil }
        var value = UInt32(first) & (0xFF >> (width + 1))
        for offset in 1..<width {
            let byte = bytes[index + offset]
            if offset > 1, !(0x80...0xBF).contains(byte) { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, width) }
    }
}
