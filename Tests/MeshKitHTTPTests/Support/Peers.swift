import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTestSupport
import MeshKitTesting

/// Real peers for the integration tests.
enum Peers {
    /// Starts the `product-service` example binary on a free loopback port.
    static func productService() async throws -> HTTPTestProcess {
        try await HTTPTestProcess.start(executable: try productServiceBinary(), arguments: ["0"], readyPattern: #"LISTENING (\d+)"#)
    }

    /// Runs `body` with a `product-service` process, which is killed afterwards.
    static func withProductService<T: Sendable>(_ body: (HTTPTestProcess) async throws -> T) async throws -> T {
        try await productService().withRunning(body)
    }

    /// The example binary, built next to the test bundle because the test target depends on it.
    static func productServiceBinary() throws -> URL {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        var folders = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for scratch in [".build-http", ".build"] {
            folders.append(packageRoot.appendingPathComponent("\(scratch)/debug"))
        }
        for folder in folders {
            for name in ["product-service", "ProductService"] {
                let candidate = folder.appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        throw TestServerError(message: "the product-service binary was not found in \(folders.map(\.path))")
    }

    /// A caller mesh whose remote transport reaches `endpoints` for `appID`.
    static func caller(
        appID: String = "order-service",
        endpoints: [String: [Endpoint]],
        configuration: HTTPInvocationTransport.Configuration = .init(attemptTimeout: .seconds(5)),
        resources: ResourceSet = ResourceSet()
    ) async throws -> (Mesh, HTTPInvocationTransport) {
        let transport = try HTTPInvocationTransport(resolver: StaticNameResolver(endpoints), configuration: configuration)
        var meshConfiguration = MeshConfiguration.testing()
        meshConfiguration.resources.merge(resources)
        meshConfiguration.remoteTransport = transport
        return (try await Mesh(appID: appID, configuration: meshConfiguration), transport)
    }
}
