import Foundation
import ArgumentParser
import Hummingbird
import Logging
import MeshKit
import MeshKitPrometheus
import Metrics
import Prometheus
import ServiceLifecycle

/// `hummingbird-shop --port 8080 --app-id shop [--resources ./resources] [--without-meshkit]`:
/// prints `LISTENING <port>` once it serves.
@main
struct HummingbirdShop: AsyncParsableCommand {
    @Option var port = 8080
    @Option var appID = "shop"
    @Option var resources: String?
    @Flag(help: "Serve the app's routes without MeshKit's middleware (the benchmark's baseline).") var withoutMeshkit = false

    func run() async throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(MetricsEndpoint.factory(registry: registry))
        var configuration = MeshConfiguration()
        configuration.logger = Logger(label: "shop")
        let mesh =
            if let resources {
                try await Mesh(appID: appID, resourcesPath: resources, configuration: configuration)
            } else {
                try await Mesh(appID: appID, configuration: configuration)
            }
        var app = Application(
            router: ShopApp.router(mesh: mesh, registry: registry, withMeshKit: !withoutMeshkit),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                // Unbuffered, for the script that waits for it.
                FileHandle.standardOutput.write(Data("LISTENING \(channel.localAddress?.port ?? 0)\n".utf8))
            },
            logger: mesh.logger
        )
        app.addServices(mesh)
        try await app.runService()
    }
}
