/// Where a Redis server listens: `host:port`, or a Unix socket path.
struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address; empty for a Unix socket.
    var host: String
    /// The TCP port.
    var port: Int
    /// The Unix socket path, when connecting through one.
    var socketPath: String?

    /// Parses Dapr's `redisHost`: `host:port`, `host` (port 6379), `[v6addr]:port`, or a path
    /// starting with `/` (a Unix socket). Returns `nil` when the text is none of these.
    init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if text.hasPrefix("/") {
            (host, port, socketPath) = ("", 0, text)
            return
        }
        var host = Substring(text)
        var port = 6379
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let parsed = Int(rest.dropFirst()) else { return nil }
                port = parsed
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard let parsed = Int(host[host.index(after: colon)...]) else { return nil }
            port = parsed
            host = host[..<colon]
        }
        guard !host.isEmpty, (1...65535).contains(port), !host.contains(" ") else { return nil }
        (self.host, self.port, self.socketPath) = (String(host), port, nil)
    }

    var description: String {
        socketPath ?? (host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
    }
}
