// The order service of the two-process example: finds the product service in the Redis name
// registry, asks it for prices over HTTP, saves each order in Redis state, publishes
// `order-created` on Redis Streams and waits until the product service answers every order on
// `stock-reserved`. Then it shuts down and exits.
//
// Run it through `scripts/two-process-demo.sh`, or by hand, after the product service:
//
//     APP_ID=order-service swift run demo-order-service

import Foundation
import Logging
import MeshKit
import ServiceLifecycle
import TwoProcessShop

@main
struct DemoOrderService {
    static let orders = [("order-1", "mug", 2), ("order-2", "book", 1), ("order-3", "mug", 3)]

    static func main() async throws {
        let (mesh, _) = try await ShopMesh.make(defaultAppID: "order-service")
        let reserved = AsyncStream<StockReserved>.makeStream()
        try await mesh.subscribe(pubsub: "pubsub", topic: "stock-reserved") { event in
            reserved.continuation.yield(try event.decode(StockReserved.self))
            return .success
        }
        let group = ServiceGroup(services: [mesh], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "order-service"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitForProductService(mesh)
            try await showNotFound(mesh)
            let store = mesh.stateStore("statestore")
            for (id, sku, quantity) in orders {
                let product = try await mesh.invoke(appID: "product-service", method: "products/\(sku)", httpMethod: .get, as: Product.self)
                let order = Order(id: id, sku: sku, quantity: quantity, total: product.unitPrice * quantity)
                try await store.save(order.id, order)
                try await mesh.publish(pubsub: "pubsub", topic: "order-created", value: order)
                ShopMesh.say(mesh, "placed \(id): \(quantity) × \(product.name) = \(order.total) cents; saved and published order-created")
            }
            var confirmed = Set<String>()
            for await event in reserved.stream where !confirmed.contains(event.orderID) {
                confirmed.insert(event.orderID)
                ShopMesh.say(mesh, "stock-reserved for \(event.orderID): \(event.remaining) × \(event.sku) left")
                if confirmed.count == orders.count { break }
            }
            ShopMesh.say(mesh, "done: \(orders.count) orders priced over HTTP, saved in Redis, published and reserved")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Waits until the product service has announced itself in the registry.
    static func waitForProductService(_ mesh: Mesh) async throws {
        guard let resolver = mesh.nameResolver else { return }
        for _ in 0..<100 {
            if let endpoint = try await resolver.resolve(appID: "product-service").first {
                ShopMesh.say(mesh, "found product-service at \(endpoint.origin) in the name registry")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw MeshError(.appNotFound, "product-service did not appear in the name registry within 10 seconds")
    }

    /// A 404 is a `MeshError` carrying the status and body, not a decoding error.
    static func showNotFound(_ mesh: Mesh) async throws {
        do {
            _ = try await mesh.invoke(appID: "product-service", method: "products/teapot", httpMethod: .get, as: Product.self)
        } catch let error as MeshError where error.response?.status == .notFound {
            ShopMesh.say(mesh, "asked for products/teapot: \(error.response?.status.code ?? 0), as expected")
        }
    }
}
