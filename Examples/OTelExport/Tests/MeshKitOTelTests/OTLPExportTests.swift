import Foundation
import Logging
import MeshKit
import MeshKitOTel
import MeshKitTesting
import OTel
import ServiceLifecycle
import Testing

@Suite("OTLP export with swift-otel, received by a real OTLP/HTTP receiver")
struct OTLPExportTests {
    @Test("the Dapr tracing section configures the exporter: endpoint, scheme, signal paths and a parent-based sampler")
    func configurationFromTracingSection() {
        let tracing = ConfigurationResource.Tracing(
            samplingRate: 0.25,
            exporters: ["otel", "zipkin"],
            otel: .init(endpointAddress: "collector:4318", isSecure: true),
            zipkinEndpointAddress: "http://zipkin:9411/api/v2/spans"
        )
        let configuration = OTel.Configuration.meshKit(appID: "checkout", tracing: tracing)
        #expect(configuration.serviceName == "checkout")
        #expect(configuration.traces.otlpExporter.endpoint == "https://collector:4318/v1/traces")
        #expect(configuration.metrics.otlpExporter.endpoint == "https://collector:4318/v1/metrics")
        #expect(configuration.logs.otlpExporter.endpoint == "https://collector:4318/v1/logs")
        #expect(MeshKitObservability.unsupportedExporters(in: tracing) == ["zipkin"])
    }

    @Test("one invoke → publish → delivery chain arrives as a single trace with the conventional spans, with metrics and logs")
    func invokePublishDeliverIsOneTrace() async throws {
        guard let receiver = try await OTLPReceiver.start() else { return }
        defer { Task { await receiver.process.kill() } }
        let tracing = ConfigurationResource.Tracing(
            samplingRate: 1,
            exporters: ["otel"],
            otel: .init(endpointAddress: "127.0.0.1:\(receiver.process.port)")
        )
        // The usual OTEL_* variables apply over the Configuration: short export intervals here.
        let observability = try MeshKitObservability.bootstrap(
            appID: "checkout",
            tracing: tracing,
            environment: ["OTEL_BSP_SCHEDULE_DELAY": "100", "OTEL_METRIC_EXPORT_INTERVAL": "200", "OTEL_BLRP_SCHEDULE_DELAY": "100"]
        )
        let exporting = Task { try await observability.run() }
        defer { exporting.cancel() }

        var resources = ResourceSet()
        resources.configurations = [ConfigurationResource(name: "tracing", tracing: tracing)]
        resources.components = [ComponentResource(name: "pubsub", type: "pubsub.in-memory")]
        var configuration = MeshConfiguration.testing(resources: resources)
        configuration.logger = Logger(label: "meshkit")
        let checkout = try await Mesh(appID: "checkout", configuration: configuration)
        let orders = try await Mesh(appID: "orders", configuration: configuration)
        orders.handleInvocation("orders/{id}") { request in
            orders.logger.info("order accepted")
            try await orders.publish(pubsub: "pubsub", topic: "order-created", value: ["id": request.pathParameters["id"] ?? ""])
            return .text("accepted")
        }
        let recorder = EventRecorder()
        try await checkout.subscribe(pubsub: "pubsub", topic: "order-created", handler: recorder.handler())
        let running = Task { try await checkout.run() }
        let response = try await checkout.invoke(appID: "orders", method: "orders/7", methodPattern: "orders/{id}")
        #expect(response.status == .ok)
        _ = try await recorder.waitForEvents(count: 1)
        running.cancel()

        let expected: Set<String> = ["POST orders/{id}", "publish order-created", "process order-created"]
        var received = try await receiver.received()
        try await eventually(timeout: .seconds(30), "the receiver has the chain's spans, metrics and logs") {
            received = try await receiver.received()
            return expected.isSubset(of: Set(received.spans.map(\.name)))
                && received.metrics.contains("http.server.request.duration")
                && received.logs.contains { $0.body == "order accepted" }
        }
        let spans = received.spans
        let client = try #require(spans.first { $0.name == "POST orders/{id}" && $0.kind == OTLPReceiver.Kind.client })
        #expect(client.parentSpanID.isEmpty, "the invoke starts the trace")
        #expect(client.service == "checkout")
        #expect(client.attributes["url.template"] == "orders/{id}")
        let trace = spans.filter { $0.traceID == client.traceID }
        let server = try #require(trace.first { $0.kind == OTLPReceiver.Kind.server })
        #expect(server.name == "POST orders/{id}")
        #expect(server.attributes["http.route"] == "orders/{id}")
        let producer = try #require(trace.first { $0.kind == OTLPReceiver.Kind.producer })
        #expect(producer.name == "publish order-created")
        #expect(producer.parentSpanID == server.spanID)
        let consumer = try #require(trace.first { $0.kind == OTLPReceiver.Kind.consumer })
        #expect(consumer.name == "process order-created")
        #expect(consumer.parentSpanID == producer.spanID)
        #expect(consumer.attributes["messaging.destination.name"] == "order-created")
        let log = try #require(received.logs.first { $0.body == "order accepted" })
        #expect(log.traceID == client.traceID, "the handler's log carries the trace")
        #expect(received.metrics.contains("http.client.request.duration"))
    }
}
