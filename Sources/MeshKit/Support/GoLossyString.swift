import Foundation

/// Bytes as Go's `encoding/json` writes them when they are a Go `string`: valid UTF-8 is kept,
/// and each byte that does not start a valid sequence becomes U+FFFD on its own (Go's
/// `utf8.DecodeRune` answers `RuneError` with width 1). Dapr puts every payload that is neither
/// JSON nor binary in a CloudEvent's `data` this way, so a MeshKit envelope carries the same
/// string for the same bytes.
enum GoLossyString {
    static func string(_ bytes: Data) -> String {
        if let valid = String(data: bytes, encoding: .utf8) { return valid }
        var scalars = String.UnicodeScalarView()
        let array = [UInt8](bytes)
        var index = 0
        while index < array.count {
            if let (scalar, width) = decode(array, at: index) {
                scalars.append(scalar)
                index += width
            } else {
                scalars.append("\u{FFFD}")
                index += 1
            }
        }
        return String(scalars)
    }

    /// The scalar of the well-formed sequence at `index` (Unicode Table 3-7, as Go accepts), and
    /// its width; nil when none starts there.
    private static func decode(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
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
        guard width > 0, index + width <= bytes.count, (low...high).contains(bytes[index + 1]) else { return nil }
        var value = UInt32(first) & (0xFF >> (width + 1))
        for offset in 1..<width {
            let byte = bytes[index + offset]
            if offset > 1, !(0x80...0xBF).contains(byte) { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, width) }
    }
}
