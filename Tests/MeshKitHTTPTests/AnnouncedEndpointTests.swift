import MeshKit
import MeshKitHTTP
import MeshKitRedis
import MeshKitTesting
import ServiceLifecycle
import Testing

@Suite("the address a server binds and the address it announces")
struct AnnouncedEndpointTests {
    static func server(_ configuration: MeshHTTPServer.Configuration) async throws -> (MeshHTTPServer, Mesh) {
        let mesh = try await Mesh(appID: "product-service", configuration: .testing())
        return (MeshHTTPServer(mesh: mesh, configuration: configuration), mesh)
    }

    static func announced(_ configuration: MeshHTTPServer.Configuration) async throws -> Endpoint {
        let (server, mesh) = try await server(configuration)
        let running = Task { try await server.run() }
        defer { running.cancel() }
        let endpoint = try await server.announcedEndpoint()
        running.cancel()
        _ = await running.result
        await mesh.shutdown()
        return endpoint
    }

    @Test("by default the bound address is announced; a wildcard bind announces a dialable address; announcedHost wins")
    func announcedHost() async throws {
        let loopback = try await Self.announced(.init(host: "127.0.0.1", port: 0))
        #expect(loopback.host == "127.0.0.1")
        #expect(loopback.port > 0)
        let wildcard = try await Self.announced(.init(host: "0.0.0.0", port: 0))
        #expect(wildcard.host != "0.0.0.0" && !wildcard.host.isEmpty)
        let named = try await Self.announced(.init(host: "0.0.0.0", port: 0, announcedHost: "products.internal"))
        #expect(named.host == "products.internal")
        let fromEnvironment = MeshHTTPServer.Configuration(
            environment: try MeshEnvironment(["DAPR_HTTP_PORT": "0", "DAPR_HOST_IP": "10.9.8.7"])
        )
        #expect(fromEnvironment.port == 0 && fromEnvironment.announcedHost == "10.9.8.7")
    }

    @Test("with nameResolution redis in a Configuration, the server announces itself and a caller built with .http() finds it")
    func registryFromConfiguration() async throws {
        try await RedisServer.start().run { redis in
            let yaml = """
                apiVersion: dapr.io/v1alpha1
                kind: Configuration
                metadata:
                  name: discovery
                spec:
                  nameResolution:
                    component: redis
                    configuration:
                      redisHost: "\(redis.address)"
                      cacheTTL: 0s
                """
            func configuration() throws -> MeshConfiguration {
                var configuration = MeshConfiguration.testing(resources: try ResourceLoader.parse(yaml: yaml, file: "config.yaml"))
                configuration.registry = .withRedis
                configuration.resources.components = [ComponentResource(name: "statestore", type: "state.in-memory")]
                configuration.remoteTransportFactory = .http(.init(attemptTimeout: .seconds(5)))
                return configuration
            }
            let products = try await Mesh(appID: "product-service", configuration: try configuration())
            products.handleInvocation("ping") { _ in .text("pong") }
            let server = MeshHTTPServer(mesh: products, configuration: .init(host: "127.0.0.1", port: 0, announcedHost: "localhost"))
            let announcement = try #require(server.announcement())
            let group = ServiceGroup(services: [products, server, announcement], logger: .init(label: "test"))
            let running = Task { try await group.run() }
            let orders = try await Mesh(appID: "order-service", configuration: try configuration())
            let port = try await server.boundPort()
            try await eventually("product-service is registered") {
                try await orders.nameResolver?.resolve(appID: "product-service") == [Endpoint(host: "localhost", port: port)]
            }
            try await orders.invoke(appID: "product-service", method: "ping", as: Void.self)
            await group.triggerGracefulShutdown()
            try await running.value
            try await eventually("product-service left the registry") {
                try await orders.nameResolver?.resolve(appID: "product-service").isEmpty == true
            }
            await orders.shutdown()
        }
    }
}
