public import Foundation

/// The settings a Dapr app is used to reading from its environment, as `dapr run` sets them:
///
/// | variable | setting |
/// |---|---|
/// | `APP_ID` | ``appID`` |
/// | `NAMESPACE` | ``namespace`` |
/// | `DAPR_HTTP_PORT` | ``httpPort``, the port `MeshHTTPServer` listens on (it plays the sidecar's part) |
/// | `DAPR_HOST_IP` | ``announcedHost``, the address other apps are told to call, as daprd reads it |
/// | `MESHKIT_RESOURCES_PATH` | ``resourcesPath``, the folder `dapr run --resources-path` would name |
///
/// ```swift
/// let mesh = try await Mesh(environment: MeshEnvironment(), configuration: configuration)
/// ```
public struct MeshEnvironment: Sendable, Hashable {
    /// `APP_ID`.
    public var appID: String?
    /// `NAMESPACE`.
    public var namespace: String?
    /// `DAPR_HTTP_PORT`.
    public var httpPort: Int?
    /// `DAPR_HOST_IP`.
    public var announcedHost: String?
    /// `MESHKIT_RESOURCES_PATH`.
    public var resourcesPath: String?

    /// Reads the settings from `variables`, the process's environment by default. An empty
    /// variable counts as unset; a port that is not a number from 0 to 65535 throws
    /// ``MeshError/Code/invalidConfiguration`` naming the variable.
    public init(_ variables: [String: String] = ProcessInfo.processInfo.environment) throws(MeshError) {
        func value(_ name: String) -> String? {
            variables[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        appID = value("APP_ID")
        namespace = value("NAMESPACE")
        announcedHost = value("DAPR_HOST_IP")
        resourcesPath = value("MESHKIT_RESOURCES_PATH")
        if let port = value("DAPR_HTTP_PORT") {
            guard let number = Int(port), (0...65_535).contains(number) else {
                throw MeshError(
                    .invalidConfiguration,
                    "DAPR_HTTP_PORT must be a port number, not '\(port)'",
                    context: .init(field: "DAPR_HTTP_PORT")
                )
            }
            httpPort = number
        }
    }
}

extension Mesh {
    /// Creates a mesh from the environment: the app ID from `APP_ID`, the namespace from
    /// `NAMESPACE` (unless `configuration` sets one) and the resources from the folder
    /// `MESHKIT_RESOURCES_PATH` names (without it, `configuration.resources` alone, or the
    /// in-memory defaults). Without `APP_ID` it throws ``MeshError/Code/invalidConfiguration``.
    public convenience init(environment: MeshEnvironment, configuration: MeshConfiguration = MeshConfiguration()) async throws {
        guard let appID = environment.appID else {
            throw MeshError(.invalidConfiguration, "APP_ID is not set: the environment names no app", context: .init(field: "APP_ID"))
        }
        var configuration = configuration
        configuration.namespace = configuration.namespace ?? environment.namespace
        if let path = environment.resourcesPath {
            configuration.resources.merge(try ResourceLoader.load(directory: path))
        }
        try await self.init(appID: appID, configuration: configuration)
    }
}
