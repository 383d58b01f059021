import Foundation
import MeshKit
import MeshKitTesting
import Testing

@Suite("Component policies: state outbound, pub/sub inbound, and the shared Resiliency files")
struct ComponentPolicyTests {
    /// A mesh whose `statestore` plays `script` on writes, under `resources`.
    private func meshWithScriptedStore(
        _ script: Script,
        resiliencies: [ResiliencyResource],
        appID: String = "order-processor",
        clock: ManualClock = ManualClock()
    ) async throws -> Mesh {
        var configuration = MeshConfiguration.testing(monotonicClock: clock.monotonicClock)
        configuration.registry.registerStateStore("state.scripted") { _ in ScriptedStateStore(script: script) }
        configuration.resources.components = [ComponentResource(name: "statestore", type: "state.scripted")]
        configuration.resources.resiliencies = resiliencies
        return try await Mesh(appID: appID, configuration: configuration)
    }

    /// `resiliency-state.yaml` with its 5s retry interval shortened, so the test does not wait.
    private func fastResiliencyState() throws -> ResiliencyResource {
        let yaml = try String(contentsOfFile: SharedResources.path("resiliency-state.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "duration: 5s", with: "duration: 1ms")
        return try #require(try ResourceLoader.parse(yaml: yaml, file: "resiliency-state.yaml").resiliencies.first)
    }

    @Test("resiliency-state.yaml: state writes retry forever, and the breaker opens at 5 consecutive failures")
    func resiliencyStateFile() async throws {
        let clock = ManualClock()
        let failing = Script(.fail(.unavailable))
        let mesh = try await meshWithScriptedStore(failing, resiliencies: [try fastResiliencyState()], clock: clock)
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: 1) } throws: { isMeshError($0, .circuitOpen) }
        #expect(failing.calls == 5, "retryForever kept going until simpleCB tripped at consecutiveFailures >= 5")
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: 1) } throws: { isMeshError($0, .circuitOpen) }
        #expect(failing.calls == 5, "the open breaker fails fast")

        let flaky = Script(.fail(.unavailable), .fail(.unavailable), .status(200))
        let recovering = try await meshWithScriptedStore(flaky, resiliencies: [try fastResiliencyState()])
        try await recovering.saveState(store: "statestore", key: "k", value: 1)
        #expect(flaky.calls == 3)
        #expect(try await recovering.getState(store: "statestore", key: "k", as: Int.self) == 1)
    }

    @Test("resiliency-state.yaml is scoped to order-processor: other apps get no retries")
    func resiliencyStateScope() async throws {
        let failing = Script(.fail(.unavailable), .status(200))
        let mesh = try await meshWithScriptedStore(failing, resiliencies: [try fastResiliencyState()], appID: "checkout")
        await #expect { try await mesh.saveState(store: "statestore", key: "k", value: 1) } throws: { isMeshError($0, .unavailable) }
        #expect(failing.calls == 1)
    }

    @Test("an ETag mismatch is an answer, not a failure: never retried, never trips the breaker")
    func semanticErrorsAreNotRetried() async throws {
        let script = Script(.status(200))
        let mesh = try await meshWithScriptedStore(script, resiliencies: [try fastResiliencyState()])
        try await mesh.saveState(store: "statestore", key: "k", value: 1)
        for _ in 0..<8 {
            await #expect { try await mesh.saveState(store: "statestore", key: "k", value: 2, etag: "999") } throws: {
                isMeshError($0, .etagMismatch)
            }
        }
        #expect(script.calls == 9)
        try await mesh.saveState(store: "statestore", key: "k", value: 3)
    }

    @Test("resiliency-service-invocation.yaml: checkout's calls to order-processor retry and trip simpleCB")
    func resiliencyServiceInvocationFile() async throws {
        let yaml = try String(contentsOfFile: SharedResources.path("resiliency-service-invocation.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "duration: 5s", with: "duration: 1ms")
        let resource = try #require(try ResourceLoader.parse(yaml: yaml, file: "resiliency-service-invocation.yaml").resiliencies.first)
        let network = InProcessNetwork()
        var configuration = MeshConfiguration.testing(network: network)
        configuration.resources.resiliencies = [resource]
        let checkout = try await Mesh(appID: "checkout", configuration: configuration)
        let orderProcessor = try await Mesh(appID: "order-processor", configuration: .testing(network: network))
        let script = Script(.status(503))
        orderProcessor.handleInvocation("orders") { _ in try await script.respond() }
        await #expect { try await checkout.invoke(appID: "order-processor", method: "orders", httpMethod: .get) } throws: {
            isMeshError($0, .circuitOpen)
        }
        #expect(script.calls == 5)
    }

    @Test("a delivery that exhausts the inbound policy is dead-lettered and acknowledged; the broker never restarts its retries")
    func redeliveryDoesNotStack() async throws {
        let network = InProcessNetwork()
        let mesh = try await makeMesh(network: network)
        let failing = EventRecorder(), deadLetters = EventRecorder()
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "orders",
            options: SubscriptionOptions(deadLetterTopic: "poison"),
            handler: failing.handler { _, _ in .retry }
        )
        try await mesh.subscribe(pubsub: "pubsub", topic: "poison", handler: deadLetters.handler())
        try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "orders", value: 1)
            _ = try await deadLetters.waitForEvents(count: 1)
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(failing.events.count == 4, "1 attempt + 3 retries, then no more")
        #expect(deadLetters.events.count == 1)
        let broker = network.sharedInstance(key: "pubsub.in-memory/pubsub") { InMemoryPubSub() }
        #expect(broker.pendingCount(topic: "orders", consumerGroup: "order-service") == 0)
    }

    @Test("an inbound circuit breaker that opens leaves deliveries pending instead of dropping them")
    func inboundBreakerKeepsMessages() async throws {
        let resource = ResiliencyResource(
            name: "inbound",
            retries: ["none": .constant(.milliseconds(1), maxRetries: 0)],
            circuitBreakers: ["cb": try CircuitBreakerPolicy(maxRequests: 1, timeout: .seconds(60), trip: "consecutiveFailures >= 1")],
            components: ["pubsub": ComponentPolicyNames(inbound: PolicyNames(retry: "none", circuitBreaker: "cb"))]
        )
        let network = InProcessNetwork()
        let mesh = try await makeMesh(network: network, components: [.inMemoryPubSub], resiliencies: [resource])
        let failing = EventRecorder()
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "orders",
            options: SubscriptionOptions(deadLetterTopic: "poison", maxConcurrentDeliveries: 1),
            handler: failing.handler { _, _ in .retry }
        )
        try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "orders", value: 1)
            try await mesh.publish(pubsub: "pubsub", topic: "orders", value: 2)
            _ = try await failing.waitForEvents(count: 1)
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(failing.events.count == 1, "the breaker opened after the first failure")
        let broker = network.sharedInstance(key: "pubsub.in-memory/pubsub") { InMemoryPubSub() }
        #expect(broker.pendingCount(topic: "poison", consumerGroup: "order-service") == 1, "the first went to the dead-letter topic")
        #expect(broker.pendingCount(topic: "orders", consumerGroup: "order-service") == 1, "the second waits, not lost")
    }

    @Test("Dapr's default policy names apply in order of specificity")
    func defaultPolicyNames() async throws {
        let script = Script(.fail(.unavailable), .status(200))
        let resource = ResiliencyResource(
            name: "defaults",
            retries: [
                "DefaultRetryPolicy": .constant(.milliseconds(1), maxRetries: 0),
                "DefaultStatestoreComponentOutboundRetryPolicy": .constant(.milliseconds(1), maxRetries: 1),
            ]
        )
        let mesh = try await meshWithScriptedStore(script, resiliencies: [resource])
        try await mesh.saveState(store: "statestore", key: "k", value: 1)
        #expect(script.calls == 2, "the state-store default wins over DefaultRetryPolicy")
    }
}
