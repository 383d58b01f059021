import Foundation
import Logging
public import MeshKit
import MeshKitHTTP
import MeshKitRedis

/// How both services of the two-process example build their mesh: from the environment, as
/// Dapr apps are (`APP_ID`, `MESHKIT_RESOURCES_PATH`, `DAPR_HTTP_PORT`, `DAPR_HOST_IP`), with
/// the Redis component types and name resolver, and invocation over HTTP. The resources folder
/// says everything else: Redis state and pub/sub, the Redis name registry, the Resiliency policy.
public enum ShopMesh {
    /// The environment and a mesh built from it.
    public static func make(defaultAppID: String) async throws -> (Mesh, MeshEnvironment) {
        var environment = try MeshEnvironment()
        environment.appID = environment.appID ?? defaultAppID
        environment.resourcesPath = environment.resourcesPath ?? "Examples/TwoProcess/resources"
        var logger = Logger(label: environment.appID ?? defaultAppID)
        logger.logLevel = .warning
        var configuration = MeshConfiguration(registry: .withRedis, logger: logger)
        configuration.remoteTransportFactory = .http(.init(attemptTimeout: .seconds(5)))
        return (try await Mesh(environment: environment, configuration: configuration), environment)
    }

    /// Prints one line of what happened, prefixed with the app ID, at once (unbuffered, as the
    /// demo script reads it from a pipe).
    public static func say(_ mesh: Mesh, _ line: String) {
        let prefix = mesh.appID.padding(toLength: 16, withPad: " ", startingAt: 0)
        FileHandle.standardOutput.write(Data("\(prefix) \(line)\n".utf8))
    }
}
