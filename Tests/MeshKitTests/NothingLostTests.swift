import Foundation
import InMemoryLogging
import Logging
import MeshKit
import MeshKitTesting
import Synchronization
import Testing

@Suite("Nothing is lost silently: no in-memory fallback, at-least-once deliveries")
struct NothingLostTests {
    @Test("a mesh given resources gets no in-memory pubsub: publishing fails with ERR_PUBSUB_NOT_FOUND naming what exists")
    func noSilentPubSubFallback() async throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        try folder.write(
            "statestore.yaml",
            """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: orders
            spec:
              type: state.in-memory
            """
        )
        let mesh = try await Mesh(appID: "order-service", resourcesPath: folder.path, configuration: .testing())
        let publish = await #expect(throws: MeshError.self) {
            try await mesh.publish(pubsub: "pubsub", topic: "order-created", value: 1)
        }
        #expect(publish?.code == .pubsubNotFound)
        #expect(publish?.code.daprCode == "ERR_PUBSUB_NOT_FOUND")
        #expect(publish?.message.contains("none is configured") == true)
        let state = await #expect(throws: MeshError.self) {
            try await mesh.saveState(store: "statestore", key: "k", value: 1)
        }
        #expect(state?.code == .stateStoreNotFound)
        #expect(state?.message.contains("configured: orders") == true)
    }

    @Test("a subscription to a pub/sub that does not exist is refused, listing the ones that do")
    func subscriptionToMissingPubSub() async throws {
        let mesh = try await makeMesh(components: [ComponentResource(name: "orderpubsub", type: InMemoryPubSub.componentType)])
        let error = await #expect(throws: MeshError.self) {
            try await mesh.subscribe(pubsub: "pubsub", topic: "t") { _ in .success }
        }
        #expect(error?.code == .pubsubNotFound)
        #expect(error?.message.contains("configured: orderpubsub") == true)
    }

    @Test("a mesh created with no resources at all still runs on the in-memory statestore and pubsub")
    func defaultsWithoutResources() async throws {
        let mesh = try await makeMesh()
        try await mesh.saveState(store: "statestore", key: "k", value: 1)
        try await mesh.publish(pubsub: "pubsub", topic: "t", value: 1)
        #expect(try await mesh.getState(store: "statestore", key: "k") != nil)
    }

    @Test(
        "without a deadLetterTopic, a delivery the inbound policy gives up on stays with the broker: every message arrives once the handler recovers"
    )
    func atLeastOnceWithoutDeadLetterTopic() async throws {
        let resiliency = ResiliencyResource(
            name: "quick",
            retries: ["quick": .constant(.milliseconds(20), maxRetries: 2)],
            components: ["pubsub": ComponentPolicyNames(inbound: PolicyNames(retry: "quick"))]
        )
        let pubsub = ComponentResource(name: "pubsub", type: InMemoryPubSub.componentType, metadata: ["redeliverInterval": "100ms"])
        let mesh = try await makeMesh(components: [pubsub], resiliencies: [resiliency])
        let isHealthy = Mutex(false)
        let attempts = Mutex<[Int: Int]>([:])
        let handled = Mutex<Set<Int>>([])
        try await mesh.subscribe(pubsub: "pubsub", topic: "orders") { event in
            let order = try event.decode(Int.self)
            attempts.withLock { $0[order, default: 0] += 1 }
            guard isHealthy.withLock({ $0 }) else { throw MeshError(.unavailable, "the handler's database is down") }
            handled.withLock { _ = $0.insert(order) }
            return .success
        }
        try await whileRunning(mesh) {
            for order in 0..<5 { try await mesh.publish(pubsub: "pubsub", topic: "orders", value: order) }
            // 1 attempt + 2 in-place retries exhaust the policy; more attempts than that are
            // redeliveries by the broker, which only happen if the message was not acknowledged.
            try await eventually(timeout: .seconds(15), "every message was given up on and redelivered") {
                attempts.withLock { counts in (0..<5).allSatisfy { counts[$0, default: 0] > 3 } }
            }
            isHealthy.withLock { $0 = true }
            try await eventually(timeout: .seconds(15), "every message is handled after the handler recovers") {
                handled.withLock { $0 } == Set(0..<5)
            }
        }
    }

    @Test("a drop from the handler is still a drop, logged at warning with the message ID")
    func dropIsLogged() async throws {
        let logs = InMemoryLogHandler()
        var configuration = MeshConfiguration.testing()
        configuration.logger = Logger(label: "test") { _ in logs }
        let mesh = try await Mesh(appID: "order-service", configuration: configuration)
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "orders", handler: recorder.handler { _, _ in .drop })
        try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "orders", value: 1)
            let events = try await recorder.waitForEvents(count: 1)
            try await eventually("the drop is logged") {
                logs.entries.contains { $0.level == .warning && $0.metadata["event.id"] == "\(events[0].id)" }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(recorder.events.count == 1, "a dropped message is not redelivered")
    }
}
