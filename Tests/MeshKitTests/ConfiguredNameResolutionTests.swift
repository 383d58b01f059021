import MeshKit
import MeshKitTesting
import Synchronization
import Testing

/// A transport that records the resolver the mesh gave it and answers every call with 200.
private final class RecordingTransport: InvocationTransport {
    let resolver: any NameResolver
    let shutDown = Mutex(false)

    init(resolver: any NameResolver) {
        self.resolver = resolver
    }

    func invoke(_ request: InvocationRequest, at endpoint: Endpoint, policy: TrafficPolicy) async throws -> InvocationResponse {
        .text("\(endpoint.host):\(endpoint.port)")
    }

    func shutdown() async {
        shutDown.withLock { $0 = true }
    }
}

@Suite("A Configuration's nameResolution, applied by the mesh")
struct ConfiguredNameResolutionTests {
    static let staticResolution = """
        apiVersion: dapr.io/v1alpha1
        kind: Configuration
        metadata:
          name: discovery
        spec:
          nameResolution:
            component: static
            configuration:
              apps:
                product-service:
                  - host: 10.0.0.7
                    port: 3501
        """

    static func configuration(yaml: String, factory: RemoteTransportFactory?) throws -> MeshConfiguration {
        var configuration = MeshConfiguration.testing(resources: try ResourceLoader.parse(yaml: yaml, file: "config.yaml"))
        configuration.resources.components = [.inMemoryStateStore]
        configuration.remoteTransportFactory = factory
        return configuration
    }

    @Test("the mesh builds the resolver, makes the transport from it, routes calls through it, and shuts both down")
    func meshBuildsResolverAndTransport() async throws {
        let made = Mutex<RecordingTransport?>(nil)
        let factory = RemoteTransportFactory { resolver in
            let transport = RecordingTransport(resolver: resolver)
            made.withLock { $0 = transport }
            return transport
        }
        let mesh = try await Mesh(
            appID: "order-service",
            configuration: try Self.configuration(yaml: Self.staticResolution, factory: factory)
        )
        let endpoints = try await mesh.nameResolver?.resolve(appID: "product-service")
        #expect(endpoints == [Endpoint(host: "10.0.0.7", port: 3501)])
        let reply = try await mesh.invoke(appID: "product-service", method: "products/mug", httpMethod: .get)
        #expect(String(decoding: reply.body, as: UTF8.self) == "10.0.0.7:3501")
        #expect(mesh.announcement { Endpoint(host: "x", port: 1) } == nil, "a static resolver is no registry")
        await mesh.shutdown()
        #expect(made.withLock { $0?.shutDown.withLock { $0 } } == true)
    }

    @Test("a resolver given in code through remoteTransport wins over the section")
    func givenTransportWins() async throws {
        var configuration = try Self.configuration(yaml: Self.staticResolution, factory: nil)
        let transport = RecordingTransport(resolver: StaticNameResolver([:]))
        configuration.remoteTransport = transport
        let mesh = try await Mesh(appID: "order-service", configuration: configuration)
        #expect(try await mesh.nameResolver?.resolve(appID: "product-service") == [])
        await mesh.shutdown()
        #expect(transport.shutDown.withLock { $0 } == false, "the app's transport is the app's to shut down")
    }

    @Test("an unknown resolver names the module that provides it, or says Dapr's has no counterpart")
    func unknownResolverNamesModule() async throws {
        for (component, expected) in [("redis", "import MeshKitRedis"), ("mdns", "no MeshKit counterpart")] {
            let yaml = Self.staticResolution.replacingOccurrences(of: "component: static", with: "component: \(component)")
            let error = await #expect(throws: MeshError.self) {
                try await Mesh(appID: "order-service", configuration: try Self.configuration(yaml: yaml, factory: nil))
            }
            #expect(error?.code == .unknownComponentType)
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
            #expect(error?.context.file == "config.yaml")
            #expect(error?.context.field == "spec.nameResolution.component")
        }
    }

    @Test("a transport factory without any nameResolution section is an error at start-up")
    func factoryNeedsSection() async throws {
        var configuration = MeshConfiguration.testing()
        configuration.remoteTransportFactory = RemoteTransportFactory { resolver in RecordingTransport(resolver: resolver) }
        let error = await #expect(throws: MeshError.self) { try await Mesh(appID: "order-service", configuration: configuration) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("nameResolution") == true)
    }

    @Test("a resolver registered in the component registry is used like a component type")
    func registeredResolver() async throws {
        var configuration = try Self.configuration(
            yaml: Self.staticResolution.replacingOccurrences(of: "component: static", with: "component: fixed"),
            factory: nil
        )
        configuration.registry.registerNameResolver("fixed") { _ in StaticNameResolver(["product-service": [Endpoint(host: "h", port: 1)]])
        }
        let mesh = try await Mesh(appID: "order-service", configuration: configuration)
        #expect(try await mesh.nameResolver?.resolve(appID: "product-service") == [Endpoint(host: "h", port: 1)])
        await mesh.shutdown()
    }

    @Test("an unknown component type names the module that provides it, or the building block MeshKit lacks")
    func unknownComponentTypeNamesModule() async throws {
        let cases = [
            ("state.redis", "import MeshKitRedis and call configuration.registry.registerRedis()"),
            ("pubsub.rabbitmq", "import MeshKitRabbitMQ and call configuration.registry.registerRabbitMQ()"),
            ("bindings.kafka", "MeshKit has no component for input and output bindings"),
        ]
        for (type, expected) in cases {
            var configuration = MeshConfiguration.testing()
            configuration.resources.components = [ComponentResource(name: "thing", type: type)]
            let error = await #expect(throws: MeshError.self) { try await Mesh(appID: "order-service", configuration: configuration) }
            #expect(error?.code == .unknownComponentType)
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        }
    }
}
