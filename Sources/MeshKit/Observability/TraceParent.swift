import HTTPTypes

/// Reads the W3C Trace Context `traceparent` header: `version-traceid-parentid-flags`.
enum TraceParent {
    /// The `sampled` bit of `traceparent`'s flags; `nil` when the value is not a well-formed
    /// `traceparent` (W3C Trace Context §3.2: 2 hex digits of version, 32 of trace ID, 16 of
    /// parent ID and 2 of flags, separated by dashes).
    static func sampledFlag(_ traceparent: String) -> Bool? {
        traceparent.withUTF8Bytes { utf8 in
            guard utf8.count >= 55, utf8[2] == UInt8(ascii: "-"), utf8[35] == UInt8(ascii: "-"), utf8[52] == UInt8(ascii: "-"),
                let flags = hexByte(utf8[53], utf8[54])
            else { return nil }
            return flags & 1 == 1
        }
    }

    private static func hexByte(_ high: UInt8, _ low: UInt8) -> UInt8? {
        guard let high = nibble(high), let low = nibble(low) else { return nil }
        return high << 4 | low
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

extension HTTPField.Name {
    /// W3C Trace Context's `traceparent`.
    static let traceparent = HTTPField.Name("traceparent")!
    /// W3C Trace Context's `tracestate`.
    static let tracestate = HTTPField.Name("tracestate")!
}
