import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting
import Synchronization
import Testing

/// At-least-once delivery over Redis Streams: a message the app fails to handle, past its inbound
/// retries and with no dead-letter topic, stays pending and comes back after `processingTimeout`.
@Suite("pubsub.redis delivers at least once")
struct RedisAtLeastOnceTests {
    /// Two quick inbound retries, so that the mesh gives up on a delivery in about 100ms.
    static let quickInboundRetry = ResiliencyResource(
        name: "quick-inbound",
        retries: ["quick": .constant(.milliseconds(50), maxRetries: 2)],
        components: ["pubsub": ComponentPolicyNames(inbound: PolicyNames(retry: "quick"))]
    )

    /// What the handler saw, by CloudEvent ID.
    struct Deliveries {
        var attempts: [String: Int] = [:]
        /// The order each handled event carried.
        var handled: [String: Int] = [:]
    }

    @Test("messages whose handler fails for 3s, past the inbound retries, are redelivered until handled; none is lost")
    func failingHandlerLosesNothing() async throws {
        try await withRedis { redis in
            let mesh = try await makeRedisMesh(
                address: redis.address,
                pubsub: ["processingTimeout": "1s", "redeliverInterval": "200ms"],
                resiliencies: [Self.quickInboundRetry]
            )
            let deliveries = Mutex(Deliveries())
            let healthyAt = ContinuousClock.now + .seconds(3)
            try await mesh.subscribe(pubsub: "pubsub", topic: "orders") { event in
                deliveries.withLock { $0.attempts[event.id, default: 0] += 1 }
                guard ContinuousClock.now >= healthyAt else {
                    throw MeshError(.unavailable, "the order service is down")
                }
                let order = try event.decode(Int.self)
                deliveries.withLock { $0.handled[event.id] = order }
                return .success
            }
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            let orders = Set(0..<10)
            for order in orders.sorted() { try await mesh.publish(pubsub: "pubsub", topic: "orders", value: order) }

            try await eventually(timeout: .seconds(30), "every order is handled") {
                Set(deliveries.withLock { $0.handled.values }) == orders
            }
            let seen = deliveries.withLock { $0 }
            // One event per order, each handled once it had failed at least one whole delivery
            // (three inbound attempts).
            #expect(seen.handled.count == orders.count)
            #expect(Set(seen.attempts.keys) == Set(seen.handled.keys))
            for (id, attempts) in seen.attempts { #expect(attempts > 3, "event \(id): \(attempts) attempts") }
            try await eventually("nothing is left pending") {
                try await redis.cli("XPENDING", "orders", "orders").split(separator: "\n").first == "0"
            }
            print("at-least-once test: attempts per event \(seen.attempts.values.sorted())")
            await mesh.shutdown()
        }
    }
}
