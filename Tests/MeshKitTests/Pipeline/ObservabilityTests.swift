import Foundation
import InMemoryLogging
import InMemoryTracing
import Logging
import MeshKit
import MeshKitTesting
import MetricsTestKit
import Testing
import Tracing

@Suite("Tracing, metrics and logs on the pipeline")
struct ObservabilityTests {
    @Test("an invocation has a client span, one HTTP client span per attempt with its resend count, and a server span continuing the trace")
    func invocationSpans() async throws {
        let tracer = InMemoryTracer()
        let script = Script(.status(503), .status(200))
        let (mesh, callee) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(retry: .constant(.milliseconds(1), maxRetries: 2))
        )
        try await withTracer(tracer) {
            _ = try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get)
        }
        let spans = tracer.finishedSpans
        let client = try #require(spans.first { $0.kind == .client && $0.parentSpanID == nil })
        #expect(client.operationName == "GET", "no method pattern given: the HTTP method alone names the span")
        #expect(client.attributes.get("server.address") == .string("flaky"))
        #expect(client.attributes.get("http.request.method") == .string("GET"))
        #expect(client.attributes.get("url.path") == .string("/work"))
        #expect(client.attributes.get("http.response.status_code") == .int64(200))
        let attempts = spans.filter { $0.kind == .client && $0.parentSpanID == client.spanID }
        #expect(attempts.count == 2)
        #expect(attempts.allSatisfy { $0.operationName == "GET" })
        let first = try #require(attempts.first { $0.attributes.get("http.request.resend_count") == nil })
        let resend = try #require(attempts.first { $0.attributes.get("http.request.resend_count") == .int64(1) })
        #expect(first.attributes.get("http.response.status_code") == .int64(503))
        #expect(resend.attributes.get("http.response.status_code") == .int64(200))
        let servers = spans.filter { $0.kind == .server }
        #expect(servers.count == 2)
        #expect(servers.allSatisfy { $0.traceID == client.traceID }, "the callee continues the caller's trace")
        #expect(Set(servers.compactMap(\.parentSpanID)) == Set(attempts.map(\.spanID)))
        _ = callee
    }

    @Test("a delivery's consumer span continues the publisher's trace, and user spans nest under it")
    func publishAndDeliverSpans() async throws {
        let tracer = InMemoryTracer()
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await withTracer(tracer) {
            try await mesh.subscribe(
                pubsub: "pubsub",
                topic: "order-created",
                handler: recorder.handler { _, _ in
                    withSpan("process-order") { _ in }
                    return .success
                }
            )
            try await whileRunning(mesh) {
                try await mesh.publish(pubsub: "pubsub", topic: "order-created", value: Order(id: "1", amount: 1))
                _ = try await recorder.waitForEvents(count: 1)
            }
        }
        let spans = tracer.finishedSpans
        let producer = try #require(spans.first { $0.kind == .producer })
        #expect(producer.operationName == "publish order-created")
        #expect(producer.attributes.get("messaging.destination.name") == .string("order-created"))
        #expect(producer.attributes.get("messaging.operation.type") == .string("send"))
        #expect(producer.attributes.get("messaging.system") == .string("dapr"))
        let consumer = try #require(spans.first { $0.kind == .consumer })
        #expect(consumer.operationName == "process order-created")
        #expect(consumer.attributes.get("messaging.operation.type") == .string("process"))
        #expect(consumer.attributes.get("messaging.consumer.group.name") == .string("order-service"))
        #expect(consumer.traceID == producer.traceID)
        #expect(consumer.parentSpanID == producer.spanID)
        let user = try #require(spans.first { $0.operationName == "process-order" })
        #expect(user.traceID == producer.traceID)
        #expect(
            spans.contains {
                $0.spanID == user.parentSpanID && $0.operationName == "process order-created" && $0.parentSpanID == consumer.spanID
                    && $0.attributes.get("meshkit.attempt") == .int64(1)
            }
        )
        let event = try #require(recorder.events.first)
        #expect(event.traceParent != nil, "the W3C traceparent is always there for Dapr consumers")
    }

    @Test("state calls are client spans with database attributes")
    func stateSpans() async throws {
        let tracer = InMemoryTracer()
        let mesh = try await makeMesh()
        try await withTracer(tracer) {
            try await mesh.saveState(store: "statestore", key: "k", value: 1)
        }
        let span = try #require(tracer.finishedSpans.first { $0.operationName == "set statestore" })
        #expect(span.kind == .client)
        #expect(span.attributes.get("db.namespace") == .string("statestore"))
        #expect(span.attributes.get("db.operation.name") == .string("set"))
        #expect(span.attributes.get("db.system.name") == .string("in-memory"))
    }

    @Test("metrics count calls by outcome, durations, retries, budget exhaustion and breaker state")
    func metrics() async throws {
        let metrics = TestMetrics()
        let script = Script(.status(503), .status(200), .status(503))
        let breaker = try CircuitBreakerPolicy(maxRequests: 1, timeout: .seconds(60), trip: "consecutiveFailures >= 1")
        let (mesh, callee) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(
                retry: .constant(.milliseconds(1), maxRetries: 1),
                breaker: breaker,
                extensions: ResiliencyExtensions(retryBudgets: [
                    "none": RetryBudget.Configuration(ratio: 0, minRetriesPerSecond: 0, window: .seconds(10))
                ]),
                names: PolicyNames(retryBudget: "none")
            ),
            metricsFactory: metrics
        )
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .serviceUnavailable)
        let target = [("target", "app:flaky")]
        #expect(try metrics.expectCounter("meshkit.calls", target + [("outcome", "failure")]).totalValue == 1)
        #expect(try metrics.expectCounter("meshkit.retry_budget.exhausted", target).totalValue == 1)
        #expect(try metrics.expectTimer("meshkit.call.duration", target).values.count == 1)
        #expect(try metrics.expectMeter("meshkit.circuit_breaker.state", target).lastValue == 2, "one failure tripped it open")
        _ = callee
    }

    @Test("retries are counted")
    func retryMetric() async throws {
        let metrics = TestMetrics()
        let script = Script(.status(503), .status(503), .status(200))
        let (mesh, callee) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(retry: .constant(.milliseconds(1), maxRetries: 5)),
            metricsFactory: metrics
        )
        _ = try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get)
        #expect(try metrics.expectCounter("meshkit.retries", [("target", "app:flaky")]).totalValue == 2)
        #expect(try metrics.expectCounter("meshkit.calls", [("target", "app:flaky"), ("outcome", "success")]).totalValue == 1)
        _ = callee
    }

    @Test("nothing above debug is logged on the success path, and secret values never appear")
    func quietSuccessPath() async throws {
        let logs = InMemoryLogHandler()
        let folder = try SharedResources.folder(with: ["local-secret-store.yaml", "secrets.json"])
        defer { folder.remove() }
        try folder.write(
            "store.yaml",
            """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: guarded
            spec:
              type: state.in-memory
              metadata:
              - name: keyPrefix
                secretKeyRef:
                  name: secret
            auth:
              secretStore: localsecretstore
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.in-memory
            """
        )
        var configuration = MeshConfiguration.testing()
        configuration.logger = Logger(label: "test") { _ in logs }
        configuration.logger.logLevel = .trace
        let mesh = try await Mesh(appID: "quiet", resourcesPath: folder.path, configuration: configuration)
        mesh.handleInvocation("ping") { _ in .text("pong") }
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "t", handler: recorder.handler())
        try await whileRunning(mesh) {
            try await mesh.saveState(store: "guarded", key: "k", value: 1)
            _ = try await mesh.getState(store: "guarded", key: "k")
            try await mesh.publish(pubsub: "pubsub", topic: "t", value: 1)
            _ = try await mesh.invoke(appID: "quiet", method: "ping")
            _ = try await recorder.waitForEvents(count: 1)
        }
        #expect(!logs.entries.isEmpty, "debug logs were captured")
        #expect(logs.entries.allSatisfy { $0.level <= .debug })
        #expect(!logs.entries.contains { "\($0.message) \($0.metadata)".contains("YourPasskeyHere") })
        #expect(InMemoryStateStore.instance(named: "guarded", in: configuration.network).storedKeys() == ["YourPasskeyHere||k"])
    }
}
