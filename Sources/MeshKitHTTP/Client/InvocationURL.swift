public import Foundation
public import MeshKit

extension Endpoint {
    /// The URL that invokes `method` of `appID` at this endpoint.
    ///
    /// - ``Style/meshKit``: `origin/v1.0/invoke/{appID}/method/{method}?{query}`
    /// - ``Style/direct``: `origin/{method}?{query}`
    ///
    /// Each path segment of `method` is percent-encoded; slashes between segments are kept.
    public func invocationURL(appID: String, method: String, query: [URLQueryItem]) -> String {
        var url = origin
        if style == .meshKit {
            url += "/v1.0/invoke/\(Self.encodeSegment(appID))/method"
        }
        url += "/"
        var first = true
        for segment in method.split(separator: "/", omittingEmptySubsequences: false) {
            if !first { url += "/" }
            first = false
            url += Self.encodeSegment(String(segment))
        }
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query
            if let encoded = components.percentEncodedQuery {
                // URLComponents leaves `+` as is, which servers read as a space.
                url += "?" + encoded.replacingOccurrences(of: "+", with: "%2B")
            }
        }
        return url
    }

    /// Percent-encodes one path segment: every byte outside RFC 3986's `pchar` (unreserved,
    /// sub-delims, `:` and `@`) becomes `%XX`. Byte by byte, as this runs on every call.
    private static func encodeSegment(_ segment: String) -> String {
        let utf8 = segment.utf8
        guard utf8.contains(where: { !isPathCharacter($0) }) else { return segment }
        var encoded: [UInt8] = []
        encoded.reserveCapacity(utf8.count * 3)
        let hex: StaticString = "0123456789ABCDEF"
        for byte in utf8 {
            if isPathCharacter(byte) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hex.utf8Start[Int(byte >> 4)])
                encoded.append(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"),
            UInt8(ascii: "@"):
            true
        default:
            false
        }
    }
}
