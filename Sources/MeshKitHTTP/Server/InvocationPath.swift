import Foundation

/// What a request path asks the server for, routed as a Dapr sidecar routes it
/// (`findTargetIDAndMethod` in dapr/dapr `pkg/api/http/directmessaging.go`).
enum InvocationPath: Equatable {
    /// `/v1.0/healthz`.
    case health
    /// `/v1.0/healthz/outbound`.
    case outboundHealth
    /// A method of an app, percent-decoded and cleaned (``cleanedMethod(_:)``): from
    /// `/v1.0/invoke/{appID}/method/{method}`, or from any path outside Dapr's API (`/{method}`)
    /// with the app named by a `dapr-app-id` header, or with none (`appID` nil): this server's
    /// app, called the way a Dapr sidecar calls its app.
    case invoke(appID: String?, method: String)
    /// A path of Dapr's API (`/v1.0…`) that this server does not serve.
    case unknown

    /// Parses the path of a request target (`/path?query`), ignoring the query. `appIDHeader`
    /// is the request's `dapr-app-id` header: as in Dapr, it wins over the app ID in an
    /// invocation path (the whole path is then the method), but not over Dapr's health routes.
    init(target: String, appIDHeader: String? = nil) {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch path {
        case "/v1.0/healthz", "/v1.0/healthz/":
            self = .health
            return
        case "/v1.0/healthz/outbound", "/v1.0/healthz/outbound/":
            self = .outboundHealth
            return
        default:
            break
        }
        if let appIDHeader, !appIDHeader.isEmpty {
            self = .invoke(appID: appIDHeader, method: Self.cleanedMethod(path))
            return
        }
        let prefix = "/v1.0/invoke/"
        guard path.hasPrefix(prefix) else {
            self = Self.isDaprAPI(path) ? .unknown : .invoke(appID: nil, method: Self.cleanedMethod(path))
            return
        }
        let rest = path.dropFirst(prefix.count)
        guard let slash = rest.firstIndex(of: "/"), rest[slash...].hasPrefix("/method/") else {
            self = .unknown
            return
        }
        let appID = Self.percentDecoded(rest[..<slash])
        let method = Self.cleanedMethod(rest[slash...].dropFirst("/method/".count))
        self = method.isEmpty || appID.isEmpty ? .unknown : .invoke(appID: appID, method: method)
    }

    /// Whether `path` is in Dapr's API (`/v1.0/…`, `/v1.0-alpha1/…`): a sidecar answers those
    /// itself and never hands them to an app.
    private static func isDaprAPI(_ path: Substring) -> Bool {
        let first = path.drop { $0 == "/" }.prefix { $0 != "/" }
        return first == "v1.0" || first.hasPrefix("v1.0-")
    }

    /// A method path percent-decoded, then cleaned as Go's `path.Clean` cleans a rooted path,
    /// without its leading slash: Dapr decodes the path and applies `path.Clean` before it
    /// dispatches (directmessaging.go), so `x/../hello` is `hello`. Cleaning it as rooted means
    /// `..` never climbs out of the method namespace: `../../v1.0/healthz` is the app's method
    /// `v1.0/healthz`, never the server's health route.
    static func cleanedMethod(_ path: Substring) -> String {
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            // Decoded one segment at a time, so one malformed escape keeps only its own segment
            // as it came; a decoded `%2F` separates segments, as in Dapr.
            for segment in percentDecoded(raw).split(separator: "/", omittingEmptySubsequences: true) {
                switch segment {
                case ".": continue
                case "..": _ = segments.popLast()
                default: segments.append(String(segment))
                }
            }
        }
        return segments.joined(separator: "/")
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
