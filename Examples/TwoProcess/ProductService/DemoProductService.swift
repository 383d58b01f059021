// The product service of the two-process example: answers `products/{sku}` over HTTP, announces
// itself in the Redis name registry, and takes ordered items out of stock when `order-created`
// arrives, publishing `stock-reserved`. It runs until SIGTERM or SIGINT, then shuts down
// gracefully: it leaves the registry, finishes the requests and deliveries in flight, and exits.
//
// Run it through `scripts/two-process-demo.sh`, or by hand with a Redis on localhost:6379:
//
//     APP_ID=product-service DAPR_HTTP_PORT=3501 swift run demo-product-service

import Foundation
import Logging
import MeshKit
import MeshKitHTTP
import ServiceLifecycle
import TwoProcessShop

@main
struct DemoProductService {
    static let catalog = [
        "mug": Product(sku: "mug", name: "Mug", unitPrice: 499),
        "book": Product(sku: "book", name: "Book", unitPrice: 1_250),
    ]

    static func main() async throws {
        let (mesh, environment) = try await ShopMesh.make(defaultAppID: "product-service")
        mesh.handleInvocation("products/{sku}", httpMethods: [.get]) { request in
            guard let product = catalog[request.pathParameters["sku"] ?? ""] else {
                return .text("no product '\(request.pathParameters["sku"] ?? "")'", status: .notFound)
            }
            ShopMesh.say(mesh, "answered GET products/\(product.sku)")
            return try .json(product)
        }
        let stock = mesh.stateStore("statestore")
        try await mesh.subscribe(pubsub: "pubsub", topic: "order-created") { event in
            let order = try event.decode(Order.self)
            let remaining = try await stock.update("stock-\(order.sku)", as: Int.self) { count in (count ?? 100) - order.quantity }
            ShopMesh.say(mesh, "received order-created for \(order.id): \(order.quantity) × \(order.sku), \(remaining) left")
            try await mesh.publish(
                pubsub: "pubsub",
                topic: "stock-reserved",
                value: StockReserved(orderID: order.id, sku: order.sku, remaining: remaining)
            )
            return .success
        }

        let server = MeshHTTPServer(mesh: mesh, configuration: .init(environment: environment))
        var services: [any Service] = [mesh, server]
        if let announcement = server.announcement() { services.append(announcement) }
        let group = ServiceGroup(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "product-service")
        )
        async let announced: Void = {
            let endpoint = try await server.announcedEndpoint()
            ShopMesh.say(mesh, "listening; announced as \(endpoint.origin) in the name registry")
        }()
        try await group.run()
        try await announced
        ShopMesh.say(mesh, "stopped gracefully: left the registry, finished in-flight work")
    }
}
