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
            if let (scalar, width) = UTF8Sequence.decode(array, at: index) {
                scalars.append(scalar)
                index += width
            } else {
                scalars.append("\u{FFFD}")
                index += 1
            }
        }
        return String(scalars)
    }
}
