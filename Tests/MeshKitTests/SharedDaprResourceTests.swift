import Foundation
import InMemoryLogging
import Logging
import MeshKit
import MeshKitTesting
import Testing

/// One test per file of `Tests/Fixtures/dapr-resources`, checking that each does what Dapr
/// users expect of it.
@Suite("Shared Dapr resource files")
struct SharedDaprResourceTests {
    @Test("statestore.yaml loads as state.redis with an empty password and actorStateStore kept")
    func statestore() throws {
        let resources = try ResourceLoader.load(file: SharedResources.path("statestore.yaml"))
        let component = try #require(resources.components.first)
        #expect(component.name == "statestore")
        #expect(component.type == "state.redis")
        #expect(component.metadata.map(\.name) == ["redisHost", "redisPassword", "actorStateStore"])
        #expect(component.metadata[1].value == .literal(""))
        #expect(component.metadata[2].value == .literal("true"))
    }

    @Test("pubsub.yaml loads as pubsub.redis named orderpubsub")
    func pubsub() throws {
        let resources = try ResourceLoader.load(file: SharedResources.path("pubsub.yaml"))
        let component = try #require(resources.components.first)
        #expect(component.name == "orderpubsub")
        #expect(component.type == "pubsub.redis")
        #expect(component.metadata.first?.value == .literal("localhost:6379"))
    }

    @Test("state-in-memory.yaml, with 'metadata:' and no value, gives a working store")
    func stateInMemory() async throws {
        let folder = try SharedResources.folder(with: ["state-in-memory.yaml"])
        defer { folder.remove() }
        let mesh = try await Mesh(appID: "inventory-app", resourcesPath: folder.path, configuration: .testing())
        try await mesh.saveState(store: "inventory", key: "widget", value: 12)
        #expect(try await mesh.getState(store: "inventory", key: "widget", as: Int.self) == 12)
    }

    @Test("local-secret-store.yaml reads secrets.json, next to it, with the ':' separator")
    func localSecretStore() async throws {
        let folder = try SharedResources.folder(with: ["local-secret-store.yaml", "secrets.json"])
        defer { folder.remove() }
        let mesh = try await Mesh(appID: "checkout", resourcesPath: folder.path, configuration: .testing())
        #expect(try await mesh.getSecret(store: "localsecretstore", key: "secret") == ["secret": "YourPasskeyHere"])
        #expect(try await mesh.getBulkSecret(store: "localsecretstore") == ["secret": ["secret": "YourPasskeyHere"]])
        await #expect { try await mesh.getSecret(store: "localsecretstore", key: "missing") } throws: {
            isMeshError($0, .secretNotFound)
        }
    }

    @Test("resiliency-service-invocation.yaml: retry forever every 5s, breaker tripping at 5 consecutive failures")
    func resiliencyServiceInvocation() throws {
        let resources = try ResourceLoader.load(file: SharedResources.path("resiliency-service-invocation.yaml"))
        let resiliency = try #require(resources.resiliencies.first)
        #expect(resiliency.header.scopes == ["checkout"])
        let retry = try #require(resiliency.retries["retryForever"])
        #expect(retry.backoff == .constant(.seconds(5)))
        #expect(retry.maxRetries == -1)
        #expect(retry.allowsRetry(afterAttempt: 1_000_000))
        let breaker = try #require(resiliency.circuitBreakers["simpleCB"])
        #expect(breaker.maxRequests == 1)
        #expect(breaker.timeout == .seconds(5))
        #expect(breaker.trips(CircuitBreakerCounts(requests: 5, totalFailures: 5, consecutiveFailures: 5)))
        #expect(!breaker.trips(CircuitBreakerCounts(requests: 9, totalFailures: 8, consecutiveFailures: 4)))
        #expect(resiliency.apps["order-processor"] == PolicyNames(retry: "retryForever", circuitBreaker: "simpleCB"))
        #expect(resources.scoped(to: "checkout").resiliencies.count == 1)
        #expect(resources.scoped(to: "order-processor").resiliencies.isEmpty)
    }

    @Test("resiliency-state.yaml targets the statestore component's outbound calls")
    func resiliencyState() throws {
        let resources = try ResourceLoader.load(file: SharedResources.path("resiliency-state.yaml"))
        let resiliency = try #require(resources.resiliencies.first)
        #expect(resiliency.header.scopes == ["order-processor"])
        let statestore = try #require(resiliency.components["statestore"])
        #expect(statestore.outbound == PolicyNames(retry: "retryForever", circuitBreaker: "simpleCB"))
        #expect(statestore.inbound == nil)
        #expect(resiliency.retries["retryForever"]?.maxRetries == -1)
    }

    @Test("subscription-shipping.yaml delivers to /registerShipment, for the shipping app only")
    func subscriptionShipping() async throws {
        let folder = try SharedResources.folder(with: ["subscription-shipping.yaml"])
        defer { folder.remove() }
        try folder.write(
            "shippingpubsub.yaml",
            """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: shippingpubsub
            spec:
              type: pubsub.in-memory
              version: v1
            """
        )
        let network = InProcessNetwork()
        var configuration = MeshConfiguration.testing(network: network)
        let shipping = try await Mesh(appID: "shipping", resourcesPath: folder.path, configuration: configuration)
        let recorder = EventRecorder()
        shipping.handleTopicEvents(route: "/registerShipment", recorder.handler())

        configuration.network = network
        let orders = try await Mesh(appID: "order-service", resourcesPath: folder.path, configuration: configuration)
        let unscopedRecorder = EventRecorder()
        orders.handleTopicEvents(route: "/registerShipment", unscopedRecorder.handler())

        try await whileRunning(shipping) {
            try await whileRunning(orders) {
                try await orders.publish(
                    pubsub: "shippingpubsub",
                    topic: "shipment-registration-events",
                    value: Order(id: "o-1", amount: 3)
                )
                let events = try await recorder.waitForEvents(count: 1)
                #expect(events[0].route == "/registerShipment")
                #expect(try events[0].decode(Order.self) == Order(id: "o-1", amount: 3))
                #expect(events[0].source == "order-service")
            }
        }
        #expect(unscopedRecorder.events.isEmpty)
    }

    @Test(
        "configuration-tracing.yaml applies samplingRate 1 and reads the zipkin exporter's address for the app's tracer backend, with a debug log"
    )
    func configurationTracing() async throws {
        let folder = try SharedResources.folder(with: ["configuration-tracing.yaml"])
        defer { folder.remove() }
        let logs = InMemoryLogHandler()
        var configuration = MeshConfiguration.testing()
        configuration.logger = Logger(label: "test") { _ in logs }
        configuration.logger.logLevel = .debug
        let mesh = try await Mesh(appID: "order-service", resourcesPath: folder.path, configuration: configuration)
        let applied = try #require(mesh.appliedConfigurations.first)
        #expect(applied.header.name == "daprConfig")
        #expect(
            applied.tracing
                == ConfigurationResource.Tracing(
                    samplingRate: 1,
                    exporters: ["zipkin"],
                    zipkinEndpointAddress: "http://localhost:9411/api/v2/spans"
                )
        )
        let exporterLog = logs.entries.first { "\($0.message)".contains("exporter") }
        #expect(exporterLog?.level == .debug)
        #expect(exporterLog.map { "\($0.metadata)".contains("zipkin") } == true)
        #expect(!logs.entries.contains { $0.level > .debug })
    }

    @Test("seed-order-store.yaml loads: a state.redis component aimed at redis:6379")
    func seedOrderStore() throws {
        let resources = try ResourceLoader.load(file: SharedResources.path("seed-order-store.yaml"))
        let component = try #require(resources.components.first)
        #expect(component.name == "order-store")
        #expect(component.type == "state.redis")
        #expect(component.metadata.map(\.name) == ["redisHost"])
        #expect(component.metadata.first?.value == .literal("redis:6379"))
    }

    @Test("seed-order-pubsub.yaml (pubsub.rabbitmq) is rejected naming the type, its module, the file and the known types")
    func seedOrderPubsub() async throws {
        let folder = try SharedResources.folder(with: ["seed-order-pubsub.yaml"])
        defer { folder.remove() }
        let error = try await #require(throws: MeshError.self) {
            try await Mesh(appID: "order-service", resourcesPath: folder.path, configuration: .testing())
        }
        #expect(error.code == .unknownComponentType)
        #expect(error.message.contains("pubsub.rabbitmq"))
        #expect(error.message.contains("MeshKitRabbitMQ"))
        #expect(error.message.contains("registerRabbitMQ()"))
        #expect(error.message.contains("pubsub.in-memory"))
        #expect(error.message.contains("state.in-memory"))
        #expect(error.context.file?.hasSuffix("seed-order-pubsub.yaml") == true)
        #expect(error.context.field == "spec.type")
    }

    @Test("resiliency-default-retry.yaml, with no apiVersion and no kind, names the file and what is missing")
    func resiliencyDefaultRetry() throws {
        let error = try #require(throws: MeshError.self) {
            try ResourceLoader.load(file: SharedResources.path("resiliency-default-retry.yaml"))
        }
        #expect(error.code == .missingField)
        #expect(error.message.contains("apiVersion"))
        #expect(error.message.contains("kind"))
        #expect(error.context.file?.hasSuffix("resiliency-default-retry.yaml") == true)
        #expect(error.context.line == 1)
    }
}
