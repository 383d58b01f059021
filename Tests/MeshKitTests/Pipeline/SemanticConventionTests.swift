import HTTPTypes
import InMemoryTracing
import MeshKit
import MeshKitTesting
import MetricsTestKit
import Synchronization
import Testing
import Tracing

@Suite("OpenTelemetry semantic conventions: span names, attributes and duration histograms")
struct SemanticConventionTests {
    /// A caller and a `catalog` app answering `products/{sku}`, in one process.
    private func catalog(resources: ResourceSet = ResourceSet(), metrics: TestMetrics? = nil) async throws -> (caller: Mesh, callee: Mesh) {
        let network = InProcessNetwork()
        var configuration = MeshConfiguration.testing(network: network, resources: resources)
        configuration.metricsFactory = metrics
        let caller = try await Mesh(appID: "shop", configuration: configuration)
        let callee = try await Mesh(appID: "catalog", configuration: configuration)
        callee.handleInvocation("products/{sku}") { request in
            withSpan("handler-work") { _ in }
            return .text(request.pathParameters["sku"] ?? "")
        }
        return (caller, callee)
    }

    @Test("span names have low cardinality: the caller's method pattern and the registered route, never the raw method")
    func lowCardinalityNames() async throws {
        let tracer = InMemoryTracer()
        let (caller, callee) = try await catalog()
        try await withTracer(tracer) {
            _ = try await caller.invoke(appID: "catalog", method: "products/mug", httpMethod: .get, methodPattern: "products/{sku}")
            _ = try await caller.invoke(appID: "catalog", method: "products/cup", httpMethod: .get)
        }
        let spans = tracer.finishedSpans
        #expect(!spans.contains { $0.operationName.contains("mug") || $0.operationName.contains("cup") })
        let client = try #require(spans.first { $0.kind == .client && $0.operationName == "GET products/{sku}" })
        #expect(client.attributes.get("url.template") == .string("products/{sku}"))
        #expect(client.attributes.get("url.path") == .string("/products/mug"))
        #expect(spans.contains { $0.kind == .client && $0.operationName == "GET" })
        let servers = spans.filter { $0.kind == .server }
        #expect(servers.count == 2)
        #expect(servers.allSatisfy { $0.operationName == "GET products/{sku}" })
        #expect(servers.allSatisfy { $0.attributes.get("http.route") == .string("products/{sku}") })
        #expect(servers.allSatisfy { $0.attributes.get("client.address") == .string("shop") })
        _ = callee
    }

    @Test("a 5xx is an error on both sides, a 4xx on the client's only")
    func errorStatus() async throws {
        let tracer = InMemoryTracer()
        let (caller, callee) = try await catalog()
        callee.handleInvocation("broken") { _ in .text("no", status: .internalServerError) }
        try await withTracer(tracer) {
            _ = try await caller.invoke(appID: "catalog", method: "broken")
            _ = try await caller.invoke(appID: "catalog", method: "missing")
        }
        let spans = tracer.finishedSpans
        let brokenServer = try #require(spans.first { $0.kind == .server && $0.operationName == "POST broken" })
        #expect(brokenServer.status?.code == .error)
        #expect(brokenServer.attributes.get("error.type") == .string("500"))
        let missingServer = try #require(spans.first { $0.kind == .server && $0.operationName == "POST" })
        #expect(missingServer.status?.code != .error, "a 404 is the client's error, not the server's")
        #expect(spans.filter { $0.kind == .client }.allSatisfy { $0.status?.code == .error })
    }

    @Test("invocations record http.client.request.duration and http.server.request.duration, labelled by operation")
    func durationHistograms() async throws {
        let metrics = TestMetrics()
        let (caller, callee) = try await catalog(metrics: metrics)
        _ = try await caller.invoke(appID: "catalog", method: "products/mug", httpMethod: .get, methodPattern: "products/{sku}")
        let client = try metrics.expectTimer(
            "http.client.request.duration",
            [
                ("http.request.method", "GET"), ("server.address", "catalog"), ("url.template", "products/{sku}"),
                ("http.response.status_code", "200"),
            ]
        )
        #expect(client.values.count == 1)
        let server = try metrics.expectTimer(
            "http.server.request.duration",
            [("http.request.method", "GET"), ("http.response.status_code", "200"), ("http.route", "products/{sku}")]
        )
        #expect(server.values.count == 1)
        _ = callee
    }

    @Test("IstioOperator enableTracing: false makes no MeshKit span, and the trace still reaches the handler")
    func istioTracingOff() async throws {
        let tracer = InMemoryTracer()
        var resources = ResourceSet()
        resources.meshConfigs = [MeshConfigResource(name: "istio", enableTracing: false)]
        resources.components = [ComponentResource(name: "statestore", type: "state.in-memory")]
        let (caller, callee) = try await catalog(resources: resources)
        try await withTracer(tracer) {
            try await withSpan("user") { _ in
                _ = try await caller.invoke(appID: "catalog", method: "products/mug", httpMethod: .get)
                try await caller.saveState(store: "statestore", key: "k", value: 1)
            }
        }
        let spans = tracer.finishedSpans
        #expect(Set(spans.map(\.operationName)) == ["user", "handler-work"])
        let user = try #require(spans.first { $0.operationName == "user" })
        let work = try #require(spans.first { $0.operationName == "handler-work" })
        #expect(work.traceID == user.traceID, "the caller's context is propagated all the same")
        _ = callee
    }

    @Test("samplingRate \"0\" makes no span")
    func samplingRateZero() async throws {
        let tracer = InMemoryTracer()
        var resources = ResourceSet()
        resources.configurations = [ConfigurationResource(name: "tracing", tracing: .init(samplingRate: 0))]
        let (caller, callee) = try await catalog(resources: resources)
        try await withTracer(tracer) {
            _ = try await caller.invoke(appID: "catalog", method: "products/mug", httpMethod: .get)
        }
        #expect(tracer.finishedSpans.map(\.operationName) == ["handler-work"])
        _ = callee
    }

    @Test("with a fractional samplingRate, an incoming sampled flag is followed either way, and new traces are sampled at the rate")
    func samplingFollowsTheFlag() async throws {
        let tracer = InMemoryTracer()
        var resources = ResourceSet()
        resources.configurations = [ConfigurationResource(name: "tracing", tracing: .init(samplingRate: 0.5))]
        let (caller, callee) = try await catalog(resources: resources)
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        await withTracer(tracer) {
            for flag in ["01", "00"] {
                var request = InvocationRequest(appID: "catalog", method: "products/\(flag)", httpMethod: .get)
                request.headers[HTTPField.Name("traceparent")!] = "00-\(traceID)-00f067aa0ba902b7-\(flag)"
                for _ in 0..<20 { _ = await callee.handleInvocation(request) }
            }
        }
        #expect(tracer.finishedSpans.filter { $0.kind == .server }.count == 20, "all sampled ones, none of the unsampled")
        tracer.clearAll()
        try await withTracer(tracer) {
            for _ in 0..<200 { _ = try await caller.invoke(appID: "catalog", method: "products/mug", httpMethod: .get) }
        }
        let roots = tracer.finishedSpans.filter { $0.kind == .client && $0.parentSpanID == nil }.count
        #expect((40...160).contains(roots), "about half of 200: \(roots)")
    }

    @Test("when the tracer does not sample an invocation, its attempts and the callee make no span of their own")
    func unsampledInvocationMakesOneSpan() async throws {
        let tracer = UnsampledTracer()
        let (caller, callee) = try await catalog()
        let response = try await withTracer(tracer) {
            try await caller.invoke(appID: "catalog", method: "products/mug", httpMethod: .get, methodPattern: "products/{sku}")
        }
        #expect(response.status == .ok)
        // The client span and the handler's: no span per attempt, and no server span, since the
        // callee follows the unsampled W3C flag its own (W3C) instrument would follow too, as
        // Dapr's parent-based sampler does.
        #expect(tracer.startedSpanNames == ["GET products/{sku}", "handler-work"])
        _ = callee
    }

    @Test("each call's spans reach the tracer bound to its task, when tracers of one type take turns and when they run at once")
    func spansReachTheBoundTracer() async throws {
        let (caller, callee) = try await catalog()
        @Sendable func invoke(times: Int) async throws {
            for _ in 0..<times {
                _ = try await caller.invoke(appID: "catalog", method: "products/mug", httpMethod: .get, methodPattern: "products/{sku}")
            }
        }
        func calls(reaching tracer: InMemoryTracer) -> Int {
            tracer.finishedSpans.filter { $0.kind == .client && $0.parentSpanID == nil }.count
        }
        let turns = [InMemoryTracer(), InMemoryTracer(), InMemoryTracer()]
        for (index, tracer) in turns.enumerated() {
            try await withTracer(tracer) { try await invoke(times: index + 1) }
        }
        #expect(turns.map(calls(reaching:)) == [1, 2, 3])

        let together = [InMemoryTracer(), InMemoryTracer()]
        try await withThrowingTaskGroup { group in
            for tracer in together {
                group.addTask { try await withTracer(tracer) { try await invoke(times: 50) } }
            }
            try await group.waitForAll()
        }
        #expect(together.map(calls(reaching:)) == [50, 50])
        _ = callee
    }

    @Test("a traceparent among the caller's headers is replaced by the caller's own trace context, not sent twice")
    func callerTraceparentIsReplaced() async throws {
        let (caller, callee) = try await catalog()
        let received = Mutex<[String]>([])
        callee.handleInvocation("traceparent") { request in
            received.withLock { $0 = request.headers[values: .traceparent] }
            return .text("")
        }
        let stale = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        _ = try await caller.invoke(appID: "catalog", method: "traceparent", httpMethod: .get, headers: [HTTPField.Name("traceparent")!: stale])
        let values = received.withLock { $0 }
        #expect(values.count == 1)
        #expect(values.first != stale)
        #expect(values.first?.hasSuffix("-00") == true, "no tracer: a made-up, unsampled traceparent")
        _ = callee
    }

    @Test("a callee whose tracer does not speak W3C makes its span despite the unsampled traceparent a MeshKit caller made up")
    func madeUpUnsampledFlagIsNotFollowed() async throws {
        let tracer = InMemoryTracer()
        let (caller, callee) = try await catalog()
        let traceparent = Mutex<String?>(nil)
        callee.handleInvocation("traceparent") { request in
            traceparent.withLock { $0 = request.headers[.traceparent] }
            return .text("")
        }
        try await withTracer(tracer) {
            _ = try await caller.invoke(appID: "catalog", method: "traceparent", httpMethod: .get)
        }
        // The caller's tracer writes no traceparent, so MeshKit sent one of its own, unsampled.
        let sent = try #require(traceparent.withLock { $0 })
        #expect(sent.hasSuffix("-00"))
        #expect(tracer.finishedSpans.contains { $0.kind == .server && $0.operationName == "GET traceparent" })
    }

    @Test("lifecycle logs name the mesh readably")
    func readableDescription() async throws {
        let mesh = try await Mesh(appID: "orders", configuration: .testing())
        #expect("\(mesh)" == "Mesh(orders)")
    }
}

@Suite("The Dapr Configuration's tracing exporters, read for the app's tracer backend")
struct TracingExporterResourceTests {
    @Test("otel's endpointAddress, isSecure and protocol are read")
    func otelExporter() throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        let file = try folder.write(
            "tracing.yaml",
            """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: tracing
            spec:
              tracing:
                samplingRate: "0.1"
                otel:
                  endpointAddress: "collector:4318"
                  isSecure: true
                  protocol: http
            """
        )
        let tracing = try #require(try ResourceLoader.load(file: file).configurations.first?.tracing)
        #expect(tracing.samplingRate == 0.1)
        #expect(tracing.otel == ConfigurationResource.OTelExporter(endpointAddress: "collector:4318", isSecure: true, protocol: "http"))
    }
}
