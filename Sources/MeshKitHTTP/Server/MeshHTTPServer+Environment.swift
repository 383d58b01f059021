public import MeshKit

extension MeshHTTPServer.Configuration {
    /// A configuration whose port is `DAPR_HTTP_PORT` (3500 without it, Dapr's default) and whose
    /// announced host is `DAPR_HOST_IP`, bound to `host`.
    ///
    /// ```swift
    /// let environment = try MeshEnvironment()
    /// let server = MeshHTTPServer(mesh: mesh, configuration: .init(environment: environment, host: "0.0.0.0"))
    /// ```
    public init(environment: MeshEnvironment, host: String = "127.0.0.1") {
        self.init(host: host, port: environment.httpPort ?? 3500, announcedHost: environment.announcedHost)
    }
}
