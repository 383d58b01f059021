extension DNSNameResolver.Configuration {
    /// Reads `hostFormat`, `port`, `scheme`, `style`, `cacheTTL` and `apps`.
    init(json: JSONValue?) throws(MeshError) {
        let root = NameResolutionJSON(value: json, path: "configuration")
        self.init()
        if let format = try root["hostFormat"].string() { hostFormat = format }
        if let port = try root["port"].int() { self.port = port }
        if let scheme = try root["scheme"].scheme() { self.scheme = scheme }
        if let style = try root["style"].style() { self.style = style }
        if let ttl = try root["cacheTTL"].duration() { cacheTTL = ttl }
        for appID in try root["apps"].members() {
            let app = root["apps"][appID]
            apps[appID] = Override(
                host: try app["host"].requiredString(),
                port: try app["port"].int(),
                labels: try app["labels"].stringMap()
            )
        }
    }
}
