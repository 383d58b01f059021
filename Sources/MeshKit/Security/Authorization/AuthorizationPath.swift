/// The path authorization compares, normalized as Istio normalizes paths before evaluating
/// policies and forwarding the request, so that `/api/products/../admin` cannot slip past a
/// policy on `/admin/*` (CVE-2021-31920).
///
/// MeshKit applies Istio's `MERGE_SLASHES` normalization, with the query removed:
/// - `%00` makes the path invalid (Istio answers 400);
/// - percent-encoded unreserved characters (`%2d`, `%2e`, `%30`–`%39`, `%41`–`%5a`, `%5f`,
///   `%61`–`%7a`, `%7e`, any case) are decoded, once; other escapes are kept;
/// - a backslash becomes a slash;
/// - `.` and `..` segments are resolved as RFC 3986 says (never above the root);
/// - runs of slashes become one. MeshKit's own method dispatch treats `a//b` as `a/b`, so
///   authorization must see what the dispatcher sees (Istio's default, `BASE`, keeps them).
///
/// The server hands the handler the normalized path too, as Envoy forwards it: the path a
/// policy allowed is the path that runs.
public enum AuthorizationPath {
    /// The normalized form of `path` (a request target such as `/a/b?x=1`, or a Dapr method
    /// such as `a/b`), always starting with `/`; `nil` when the path is invalid (`%00`).
    public static func normalize(_ path: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count + 1)
        var input = Substring(path).utf8
        if let question = input.firstIndex(of: UInt8(ascii: "?")) { input = input[..<question] }
        bytes.append(UInt8(ascii: "/"))
        var index = input.startIndex
        while index != input.endIndex {
            var byte = input[index]
            index = input.index(after: index)
            if byte == UInt8(ascii: "%"), let decoded = decodedEscape(input, at: index) {
                guard decoded != 0 else { return nil }
                if isUnreserved(decoded) {
                    byte = decoded
                    index = input.index(index, offsetBy: 2)
                }
            } else if byte == 0 {
                return nil
            }
            bytes.append(byte == UInt8(ascii: "\\") ? UInt8(ascii: "/") : byte)
        }
        return String(decoding: removingDotSegments(bytes), as: UTF8.self)
    }

    private static func decodedEscape(_ input: Substring.UTF8View, at index: Substring.UTF8View.Index) -> UInt8? {
        guard let second = input.index(index, offsetBy: 1, limitedBy: input.endIndex), second != input.endIndex,
            let high = hex(input[index]), let low = hex(input[second])
        else { return nil }
        return high << 4 | low
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// `path` (starting with `/`) with empty, `.` and `..` segments resolved; a trailing `/`,
    /// `/.` or `/..` leaves a trailing slash, as RFC 3986 section 5.2.4 does.
    private static func removingDotSegments(_ path: [UInt8]) -> [UInt8] {
        var segments: [ArraySlice<UInt8>] = []
        var trailingSlash = false
        for segment in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            trailingSlash = false
            switch segment.count {
            case 0:
                trailingSlash = true
            case 1 where segment.first == UInt8(ascii: "."):
                trailingSlash = true
            case 2 where segment.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]):
                if !segments.isEmpty { segments.removeLast() }
                trailingSlash = true
            default:
                segments.append(segment)
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(path.count)
        for segment in segments {
            result.append(UInt8(ascii: "/"))
            result.append(contentsOf: segment)
        }
        if result.isEmpty || trailingSlash { result.append(UInt8(ascii: "/")) }
        return result
    }
}
