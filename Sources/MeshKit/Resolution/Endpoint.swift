/// One place an app can be reached over HTTP.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host: a name, an IPv4 address or an IPv6 address (without brackets).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// `http` or `https`.
    public var scheme: Scheme
    /// How the peer expects the URL; see ``Style``.
    public var style: Style
    /// Labels that route rules select subsets by, such as `version: v1`.
    public var labels: [String: String]

    /// Creates an endpoint.
    public init(host: String, port: Int, scheme: Scheme = .http, style: Style = .meshKit, labels: [String: String] = [:]) {
        self.host = host
        self.port = port
        self.scheme = scheme
        self.style = style
        self.labels = labels
    }

    /// `scheme://host:port`, with an IPv6 host in brackets.
    public var origin: String {
        let hostPart = host.utf8.contains(UInt8(ascii: ":")) && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(hostPart):\(port)"
    }

    public var description: String { "\(origin) (\(style))" }
}
