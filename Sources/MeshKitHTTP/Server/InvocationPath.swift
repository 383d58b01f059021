import Foundation

/// What a request path asks the server for.
enum InvocationPath: Equatable {
    /// `/v1.0/healthz`.
    case health
    /// `/v1.0/invoke/{appID}/method/{method}`, percent-decoded.
    case invoke(appID: String, method: String)
    /// Anything else.
    case unknown

    /// Parses the path of a request target (`/path?query`), ignoring the query.
    init(target: String) {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if path == "/v1.0/healthz" || path == "/v1.0/healthz/" {
            self = .health
            return
        }
        let prefix = "/v1.0/invoke/"
        guard path.hasPrefix(prefix) else {
            self = .unknown
            return
        }
        let rest = path.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: "/"), rest[slash...].hasPrefix("/method/") else {
            self = .unknown
            return
        }
        let appID = Self.percentDecoded(rest[..<slash])
        let method = rest[slash...].dropFirst("/method/".count)
        let decoded =
            method.utf8.contains(UInt8(ascii: "%"))
            ? method.split(separator: "/", omittingEmptySubsequences: false).map(Self.percentDecoded).joined(separator: "/")
            : String(method)
        self = decoded.isEmpty || appID.isEmpty ? .unknown : .invoke(appID: appID, method: decoded)
    }

    /// The query items of a request target. Hand-parsed: malformed percent-encoding is kept as
    /// it came rather than rejected, and never traps.
    static func queryItems(target: String) -> [URLQueryItem] {
        guard let question = target.firstIndex(of: "?") else { return [] }
        let query = target[target.index(after: question)...]
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            return URLQueryItem(name: name, value: parts.count > 1 ? decode(parts[1]) : nil)
        }
    }

    private static func decode(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "+")) else { return percentDecoded(text) }
        return percentDecoded(Substring(text.replacingOccurrences(of: "+", with: " ")))
    }

    /// `text` percent-decoded; kept as it came when malformed. Text without `%` is returned as
    /// is, without Foundation's decoder, which dominated the cost of parsing a path.
    private static func percentDecoded(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        return String(text).removingPercentEncoding ?? String(text)
    }
}
