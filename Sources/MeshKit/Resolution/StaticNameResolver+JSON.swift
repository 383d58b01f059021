extension StaticNameResolver {
    /// Reads `{"apps": {"<app-id>": [{"host", "port", "scheme", "style", "labels"}]}}`.
    init(json: JSONValue?) throws(MeshError) {
        let root = NameResolutionJSON(value: json, path: "configuration")
        var table: [String: [Endpoint]] = [:]
        for appID in try root["apps"].members() {
            var endpoints: [Endpoint] = []
            for item in try root["apps"][appID].items() {
                guard let port = try item["port"].int() else { throw item["port"].invalid("is required") }
                endpoints.append(
                    Endpoint(
                        host: try item["host"].requiredString(),
                        port: port,
                        scheme: try item["scheme"].scheme() ?? .http,
                        style: try item["style"].style() ?? .meshKit,
                        labels: try item["labels"].stringMap()
                    )
                )
            }
            table[appID] = endpoints
        }
        self.init(table)
    }
}
