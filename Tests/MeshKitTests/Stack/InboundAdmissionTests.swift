import HTTPTypes
import InMemoryTracing
import MeshKit
import MeshKitTesting
import MetricsTestKit
import Testing
import Tracing

@Suite("a request the app's own server awaits itself, admitted by the app's inbound policies")
struct InboundAdmissionTests {
    /// The `shop` app under `inbound` policies of `shop.yaml`'s Resiliency.
    private func shop(inbound: String, policies: String, metrics: TestMetrics? = nil) async throws -> Mesh {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: shop
            spec:
              policies:
            \(policies)
              targets:
                apps:
                  shop:
                    inbound:
            \(inbound)
            """
        var configuration = MeshConfiguration.testing(resources: try ResourceLoader.parse(yaml: yaml, file: "shop.yaml"))
        configuration.metricsFactory = metrics
        return try await Mesh(appID: "shop", configuration: configuration)
    }

    /// A request for `route` admitted inline, or a failed test.
    private func admit(_ mesh: Mesh, route: String = "/orders/{id}") throws -> InboundAdmission {
        guard let admission = try mesh.admitInbound(method: .get, route: route, headers: [:]) else {
            Issue.record("not admitted inline")
            throw CancellationError()
        }
        return admission
    }

    /// Whether a request is admitted inline; one that is, is finished at once.
    private func admitsInline(_ mesh: Mesh) throws -> Bool {
        guard let admission = try mesh.admitInbound(method: .get, route: "/hello", headers: [:]) else { return false }
        mesh.finishInbound(admission, status: 200)
        return true
    }

    /// The error of a refused request.
    private func refusal(_ mesh: Mesh) -> MeshError? {
        #expect(throws: MeshError.self) { _ = try mesh.admitInbound(method: .get, route: "/orders/{id}", headers: [:]) }
    }

    @Test("a request holds its place under the concurrency limit until it is finished")
    func concurrencyLimit() async throws {
        let mesh = try await shop(
            inbound: "          concurrencyLimit: single",
            policies: "        concurrencyLimits:\n          single: { maxConcurrent: 1 }"
        )
        let first = try admit(mesh)
        #expect(refusal(mesh)?.code.httpStatus == 429)
        mesh.finishInbound(first, status: 200)
        let next = try admit(mesh)
        mesh.finishInbound(next, throwing: CancellationError())
        #expect(try admitsInline(mesh), "a thrown error frees the place too")
    }

    @Test("a 5xx the server finishes with counts against the inbound breaker, which then refuses with 503")
    func breaker() async throws {
        let mesh = try await shop(
            inbound: "          circuitBreaker: fragile",
            policies: "        circuitBreakers:\n          fragile: { maxRequests: 1, timeout: 60s, trip: consecutiveFailures >= 2 }"
        )
        for status in [500, 503] {
            mesh.finishInbound(try admit(mesh, route: "/broken"), status: status)
        }
        #expect(refusal(mesh)?.code.httpStatus == 503)
    }

    @Test("a request that needs the stack's run is not admitted inline: an inbound timeout, a deadline, an instrument")
    func notInline() async throws {
        let timed = try await shop(inbound: "          timeout: handler", policies: "        timeouts:\n          handler: 2s")
        #expect(try !admitsInline(timed))

        let limited = try await shop(
            inbound: "          concurrencyLimit: single",
            policies: "        concurrencyLimits:\n          single: { maxConcurrent: 1 }"
        )
        let underDeadline = try MeshDeadline.$current.withValue(.now + .seconds(5)) { try admitsInline(limited) }
        #expect(!underDeadline)
        let underInstrument = try withTracer(InMemoryTracer()) { try admitsInline(limited) }
        #expect(!underInstrument)
        let admitted = try admit(limited)
        #expect(refusal(limited)?.code.httpStatus == 429, "admitted inline once nothing needs the stack's run")
        limited.finishInbound(admitted, status: 200)
    }

    @Test("admitted requests and refusals are counted in http.server.request.duration with their status")
    func durations() async throws {
        let metrics = TestMetrics()
        let mesh = try await shop(
            inbound: "          rateLimit: tight",
            policies: "        rateLimits:\n          tight: { requestsPerSecond: 0.1, burst: 1 }",
            metrics: metrics
        )
        mesh.finishInbound(try admit(mesh), status: 201)
        #expect(refusal(mesh)?.code.httpStatus == 429)
        let answered = try metrics.expectTimer(
            "http.server.request.duration",
            [("http.request.method", "GET"), ("http.response.status_code", "201"), ("http.route", "/orders/{id}")]
        )
        #expect(answered.values.count == 1)
        let refused = try metrics.expectTimer(
            "http.server.request.duration",
            [("http.request.method", "GET"), ("http.response.status_code", "429"), ("http.route", "/orders/{id}")]
        )
        #expect(refused.values.count == 1)
    }
}
