import Foundation
import MeshKit
import MeshKitTesting
import Synchronization
import Testing

@Suite("The API a service author reaches for")
struct ServiceAuthorAPITests {
    struct Product: Codable, Equatable, Sendable {
        var sku: String
        var unitPrice: Int
    }

    /// Two meshes on one network; the caller keeps the callee alive (a mesh that is released
    /// leaves its network).
    static func pair() async throws -> (orders: Mesh, products: Mesh) {
        let network = InProcessNetwork()
        let products = try await makeMesh(appID: "product-service", network: network)
        products.handleInvocation("products/{sku}", httpMethods: [.get]) { request in
            guard request.pathParameters["sku"] == "mug" else { return .text("no such product", status: .notFound) }
            return try .json(Product(sku: "mug", unitPrice: 499))
        }
        products.handleInvocation("garbage") { _ in .text("not json") }
        products.handleInvocation("accept") { request in
            request.body.isEmpty ? .text("empty", status: .badRequest) : .text("", status: .noContent)
        }
        return (try await makeMesh(appID: "order-service", network: network), products)
    }

    @Test("invoke(as:) decodes a 2xx answer")
    func typedInvokeDecodes() async throws {
        let (orders, products) = try await Self.pair()
        let product = try await orders.invoke(appID: "product-service", method: "products/mug", httpMethod: .get, as: Product.self)
        #expect(product == Product(sku: "mug", unitPrice: 499))
        await products.shutdown()  // keeps the callee alive, and registered, until here
    }

    @Test("a non-2xx answer throws a MeshError carrying status and body, never a DecodingError")
    func typedInvokeThrowsOnNotFound() async throws {
        let (orders, products) = try await Self.pair()
        let error = await #expect(throws: MeshError.self) {
            try await orders.invoke(appID: "product-service", method: "products/teapot", httpMethod: .get, as: Product.self)
        }
        #expect(error?.code == .invocationFailed)
        #expect(error?.response?.status == .notFound)
        #expect(error?.response.map { String(decoding: $0.body, as: UTF8.self) } == "no such product")
        #expect(error?.message.contains("404") == true)
        await products.shutdown()  // keeps the callee alive, and registered, until here
    }

    @Test("a 2xx answer that does not decode throws a MeshError carrying the response")
    func typedInvokeWrapsDecodingErrors() async throws {
        let (orders, products) = try await Self.pair()
        let error = await #expect(throws: MeshError.self) {
            try await orders.invoke(appID: "product-service", method: "garbage", as: Product.self)
        }
        #expect(error?.code == .invocationFailed)
        #expect(error?.response?.status == .ok)
        #expect(error?.underlying is DecodingError)
        await products.shutdown()  // keeps the callee alive, and registered, until here
    }

    @Test("the Void variant returns on 2xx and throws with the status otherwise")
    func voidInvoke() async throws {
        let (orders, products) = try await Self.pair()
        try await orders.invoke(appID: "product-service", method: "accept", value: Product(sku: "mug", unitPrice: 1), as: Void.self)
        let error = await #expect(throws: MeshError.self) {
            try await orders.invoke(appID: "product-service", method: "accept", as: Void.self)
        }
        #expect(error?.response?.status == .badRequest)
        await products.shutdown()  // keeps the callee alive, and registered, until here
    }

    @Test("values are JSON with sorted keys by default, and the app's encoder and decoder are used everywhere")
    func configuredJSON() async throws {
        struct Wide: Codable, Equatable { var zebra = 1, apple = 2, mango = 3, unitPrice = 4 }
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "wide", value: Wide())
        let stored = try #require(try await mesh.getState(store: "statestore", key: "wide"))
        #expect(String(decoding: stored.value, as: UTF8.self) == #"{"apple":2,"mango":3,"unitPrice":4,"zebra":1}"#)

        var configuration = MeshConfiguration.testing()
        configuration.jsonEncoder = MeshConfiguration.defaultJSONEncoder()
        configuration.jsonEncoder.keyEncodingStrategy = .convertToSnakeCase
        configuration.jsonDecoder.keyDecodingStrategy = .convertFromSnakeCase
        let snake = try await Mesh(appID: "order-service", configuration: configuration)
        try await snake.saveState(store: "statestore", key: "wide", value: Wide())
        let snakeStored = try #require(try await snake.getState(store: "statestore", key: "wide"))
        #expect(String(decoding: snakeStored.value, as: UTF8.self).contains(#""unit_price":4"#))
        #expect(try await snake.getState(store: "statestore", key: "wide", as: Wide.self) == Wide())
    }

    @Test("updateState applies concurrent updates one after another, retrying on ETag mismatch")
    func updateStateRetries() async throws {
        let mesh = try await makeMesh()
        try await withThrowingDiscardingTaskGroup { group in
            for _ in 0..<20 {
                group.addTask {
                    try await mesh.updateState(store: "statestore", key: "counter", as: Int.self, maxAttempts: 100) { ($0 ?? 0) + 1 }
                }
            }
        }
        #expect(try await mesh.getState(store: "statestore", key: "counter", as: Int.self) == 20)
    }

    @Test("updateState gives up after maxAttempts with etagMismatch")
    func updateStateBound() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "hot", value: 0)
        let calls = Mutex(0)
        let error = await #expect(throws: MeshError.self) {
            try await mesh.updateState(store: "statestore", key: "hot", as: Int.self, maxAttempts: 3) { value in
                calls.withLock { $0 += 1 }
                try await mesh.saveState(store: "statestore", key: "hot", value: 100)  // someone else wins every time
                return (value ?? 0) + 1
            }
        }
        #expect(error?.code == .etagMismatch)
        #expect(calls.withLock { $0 } == 3)
    }

    @Test("a state store handle names the store once")
    func stateStoreHandle() async throws {
        let mesh = try await makeMesh()
        let store = mesh.stateStore("statestore")
        try await store.save("p", Product(sku: "mug", unitPrice: 1))
        #expect(try await store.get("p", as: Product.self) == Product(sku: "mug", unitPrice: 1))
        #expect(try await store.update("n", as: Int.self) { ($0 ?? 41) + 1 } == 42)
        #expect(try await store.item("n")?.etag != nil)
        try await store.delete("p")
        #expect(try await store.get("p", as: Product.self) == nil)
        await #expect(throws: MeshError.stateStoreNotFound) { try await mesh.stateStore("nope").item("x") }
    }

    @Test("the environment gives the app ID, namespace, port, announced host and resources, as dapr run sets them")
    func environment() async throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        _ = try folder.write(
            "store.yaml",
            """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: orders
            spec:
              type: state.in-memory
              version: v1
            """
        )
        let environment = try MeshEnvironment([
            "APP_ID": "order-service", "NAMESPACE": "shop", "DAPR_HTTP_PORT": "3600", "DAPR_HOST_IP": "10.1.2.3",
            "MESHKIT_RESOURCES_PATH": folder.path,
        ])
        #expect(environment.httpPort == 3600)
        #expect(environment.announcedHost == "10.1.2.3")
        let mesh = try await Mesh(environment: environment, configuration: .testing())
        #expect(mesh.appID == "order-service")
        #expect(mesh.namespace == "shop")
        try await mesh.saveState(store: "orders", key: "a", value: 1)

        #expect(throws: MeshError.invalidConfiguration) { try MeshEnvironment(["DAPR_HTTP_PORT": "http"]) }
        let error = await #expect(throws: MeshError.self) { try await Mesh(environment: try MeshEnvironment([:])) }
        #expect(error?.context.field == "APP_ID")
    }
}

extension MeshError {
    fileprivate static let stateStoreNotFound = MeshError(.stateStoreNotFound, "")
    fileprivate static let invalidConfiguration = MeshError(.invalidConfiguration, "")
}

@Suite("The mesh's JSON decoder reaches handlers")
struct MeshDecoderReachesHandlersTests {
    struct Shipment: Codable, Equatable, Sendable {
        var orderNumber: String  // round-trips through snake case (orderID would come back as orderId)
    }

    static func snakeCaseConfiguration(network: InProcessNetwork) -> MeshConfiguration {
        var configuration = MeshConfiguration.testing(network: network)
        configuration.jsonEncoder = MeshConfiguration.defaultJSONEncoder()
        configuration.jsonEncoder.keyEncodingStrategy = .convertToSnakeCase
        configuration.jsonDecoder.keyDecodingStrategy = .convertFromSnakeCase
        return configuration
    }

    @Test("request.decode and event.decode use MeshConfiguration.jsonDecoder by default")
    func handlersDecodeWithTheMeshDecoder() async throws {
        let network = InProcessNetwork()
        let mesh = try await Mesh(appID: "shipping-service", configuration: Self.snakeCaseConfiguration(network: network))
        mesh.handleInvocation("ship") { request in
            .text(try request.decode(Shipment.self).orderNumber)
        }
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "shipped") { event in
            _ = recorder.record(event)
            _ = try event.decode(Shipment.self)
            return .success
        }
        let reply = try await mesh.invoke(appID: "shipping-service", method: "ship", value: Shipment(orderNumber: "order-1"))
        #expect(String(decoding: reply.body, as: UTF8.self) == "order-1")
        let runner = Task { try await mesh.run() }
        defer { runner.cancel() }
        try await mesh.publish(pubsub: "pubsub", topic: "shipped", value: Shipment(orderNumber: "order-2"))
        let events = try await recorder.waitForEvents(count: 1)
        #expect(try events.first?.decode(Shipment.self) == Shipment(orderNumber: "order-2"))
    }
}
