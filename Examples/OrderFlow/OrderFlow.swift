import ArgumentParser
import Foundation
import Logging
import MeshKit
import ServiceLifecycle

/// The design brief's flow in one process: an order service asks the product service for a
/// price, saves the order, and publishes `order-created`, which the shipping service receives.
@main
struct OrderFlow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-flow",
        abstract: "Runs MeshKit's order flow: invoke, save state, publish, deliver."
    )

    @Option(help: "A folder of Dapr resource files; without it the flow runs on the in-memory defaults.")
    var resourcesPath: String?

    @Option(help: "How many orders to place.")
    var orders: Int = 3

    func run() async throws {
        var logger = Logger(label: "order-flow")
        logger.logLevel = .notice
        // One configuration, so the three meshes share its in-process network and its in-memory
        // components.
        let configuration = MeshConfiguration(logger: logger)

        let productService = try await makeMesh("product-service", configuration)
        let shippingService = try await makeMesh("shipping-service", configuration)
        let orderService = try await makeMesh("order-service", configuration)

        productService.handleInvocation("products/{sku}", httpMethods: [.get]) { request in
            let sku = request.pathParameters["sku"] ?? "?"
            return try .json(Product(sku: sku, unitPrice: sku.hasPrefix("book") ? 1_250 : 499))
        }

        let shipped = AsyncStream<Order>.makeStream()
        try await shippingService.subscribe(pubsub: "pubsub", topic: "order-created") { event in
            let order = try event.decode(Order.self)
            print("shipping-service  received \(event.type) \(event.id.prefix(8))… for \(order.id) from \(event.source)")
            shipped.continuation.yield(order)
            return .success
        }

        let services = ServiceGroup(
            configuration: .init(
                services: [.init(service: shippingService), .init(service: orderService), .init(service: productService)],
                logger: logger
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            for number in 1...orders {
                try await placeOrder(number: number, through: orderService)
            }
            var received = 0
            for await _ in shipped.stream {
                received += 1
                if received == orders { break }
            }
            print("done: \(orders) orders priced, saved, published and delivered")
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    private func placeOrder(number: Int, through mesh: Mesh) async throws {
        let sku = number.isMultiple(of: 2) ? "mug-\(number)" : "book-\(number)"
        let reply = try await mesh.invoke(appID: "product-service", method: "products/\(sku)", httpMethod: .get)
        guard reply.isSuccess else {
            print("order-service     product-service answered \(reply.status)")
            return
        }
        let product = try reply.decode(Product.self)
        let order = Order(id: "order-\(number)", sku: sku, quantity: number, total: product.unitPrice * number)
        print("order-service     invoked product-service: \(sku) costs \(product.unitPrice) cents")

        try await mesh.saveState(store: "statestore", key: order.id, value: order)
        let saved = try await mesh.getState(store: "statestore", key: order.id)
        print("order-service     saved \(order.id) (total \(order.total) cents), ETag \(saved?.etag?.value ?? "none")")

        try await mesh.publish(pubsub: "pubsub", topic: "order-created", value: order)
        print("order-service     published order-created for \(order.id)")
    }

    private func makeMesh(_ appID: String, _ configuration: MeshConfiguration) async throws -> Mesh {
        if let resourcesPath {
            return try await Mesh(appID: appID, resourcesPath: resourcesPath, configuration: configuration)
        }
        return try await Mesh(appID: appID, configuration: configuration)
    }
}

struct Product: Codable, Sendable {
    var sku: String
    var unitPrice: Int
}

struct Order: Codable, Sendable {
    var id: String
    var sku: String
    var quantity: Int
    var total: Int
}
