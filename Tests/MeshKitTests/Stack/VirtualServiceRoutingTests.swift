import Foundation
import HTTPTypes
import MeshKit
import MeshKitTesting
import Synchronization
import Testing

/// VirtualService routes applied to calls between apps in one process.
@Suite("VirtualService routes between apps in one process")
struct VirtualServiceRoutingTests {
    /// A caller and the apps `reviews` and `reviews-v2`, each echoing what it received, under `yaml`.
    static func meshes(_ yaml: String, resiliency: ResiliencyResource? = nil) async throws -> (caller: Mesh, apps: [Mesh]) {
        let network = InProcessNetwork()
        var resources = try ResourceLoader.parse(yaml: yaml, file: "routes.yaml")
        if let resiliency { resources.resiliencies.append(resiliency) }
        let caller = try await Mesh(appID: "caller", configuration: .testing(network: network, resources: resources))
        var apps: [Mesh] = []
        for appID in ["reviews", "reviews-v2"] {
            let app = try await Mesh(appID: appID, configuration: .testing(network: network))
            app.handleInvocation("{path}/*") { request in
                var lines = ["\(appID) \(request.method)"]
                for name in ["x-set", "x-add", "x-gone"] {
                    lines.append("\(name)=\(request.headers[HTTPField.Name(name)!] ?? "-")")
                }
                return .text(lines.joined(separator: " "))
            }
            app.handleInvocation("{path}") { request in .text("\(appID) \(request.method)") }
            apps.append(app)
        }
        return (caller, apps)
    }

    static func text(_ response: InvocationResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test("a match sends the call to another app; headers are set, added and removed; the prefix is rewritten")
    func matchRewriteAndHeaders() async throws {
        let (caller, apps) = try await Self.meshes(
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: { name: reviews }
            spec:
              hosts: [reviews]
              http:
                - match: [{ uri: { prefix: /old/ }, headers: { x-user: { exact: jason } } }]
                  rewrite: { uri: /new/ }
                  headers:
                    request: { set: { x-set: "1" }, add: { x-add: "2" }, remove: [x-gone] }
                    response: { set: { x-route: v2 } }
                  route: [{ destination: { host: reviews-v2 } }]
                - route: [{ destination: { host: reviews } }]
            """
        )
        let routed = try await caller.invoke(
            appID: "reviews",
            method: "old/item",
            headers: [HTTPField.Name("x-user")!: "jason", HTTPField.Name("x-gone")!: "bye"]
        )
        #expect(Self.text(routed) == "reviews-v2 new/item x-set=1 x-add=2 x-gone=-")
        #expect(routed.headers[HTTPField.Name("x-route")!] == "v2")
        let plain = try await caller.invoke(appID: "reviews", method: "old/item", headers: [HTTPField.Name("x-gone")!: "kept"])
        #expect(Self.text(plain) == "reviews old/item x-set=- x-add=- x-gone=kept")
        _ = apps
    }

    @Test("with a VirtualService and no route that matches, the call gets Envoy's 404 and reaches no app")
    func noRouteMatches() async throws {
        let (caller, apps) = try await Self.meshes(
            """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata: { name: reviews }
            spec:
              hosts: [reviews]
              http:
                - match: [{ method: { exact: GET } }]
                  route: [{ destination: { host: reviews } }]
            """
        )
        #expect(try await caller.invoke(appID: "reviews", method: "x", httpMethod: .get).status == .ok)
        let missed = try await caller.invoke(appID: "reviews", method: "x", httpMethod: .post)
        #expect(missed.status == .notFound)
        #expect(Self.text(missed).contains("no route of VirtualService 'reviews'"))
        _ = apps
    }

    @Test("a route's fault aborts with its status; its timeout bounds all attempts")
    func faultAndTimeout() async throws {
        let (caller, apps) = try await Self.meshes(
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: { name: reviews }
            spec:
              hosts: [reviews]
              http:
                - match: [{ uri: { exact: /broken } }]
                  fault: { abort: { percentage: { value: 100 }, httpStatus: 418 } }
                  route: [{ destination: { host: reviews } }]
                - match: [{ uri: { prefix: /slow } }]
                  timeout: 200ms
                  route: [{ destination: { host: reviews } }]
                - route: [{ destination: { host: reviews } }]
            """
        )
        apps[0].handleInvocation("slow") { _ in
            try await Task.sleep(for: .seconds(30))
            return .text("late")
        }
        #expect(try await caller.invoke(appID: "reviews", method: "broken").status.code == 418)
        let start = ContinuousClock.now
        await #expect { try await caller.invoke(appID: "reviews", method: "slow") } throws: { isMeshError($0, .deadlineExceeded) }
        #expect(ContinuousClock.now - start < .seconds(5), "the route's 200ms timeout stopped the call")
    }

    @Test("a route's retries replace the Resiliency retry; a route without retries keeps it, and the breaker stays")
    func precedenceOverResiliency() async throws {
        let script = Script(.status(503))
        let resiliency = ResiliencyResource(
            name: "resiliency",
            retries: ["five": .constant(.milliseconds(1), maxRetries: 5)],
            circuitBreakers: [
                "breaker": try CircuitBreakerPolicy(maxRequests: 1, timeout: .seconds(60), trip: "consecutiveFailures >= 100")
            ],
            apps: ["reviews": PolicyNames(retry: "five", circuitBreaker: "breaker")]
        )
        let (caller, apps) = try await Self.meshes(
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: { name: reviews }
            spec:
              hosts: [reviews]
              http:
                - match: [{ uri: { prefix: /istio } }]
                  retries: { attempts: 1, retryOn: 5xx }
                  route: [{ destination: { host: reviews } }]
                - route: [{ destination: { host: reviews } }]
            """,
            resiliency: resiliency
        )
        apps[0].handleInvocation("istio") { _ in try await script.respond() }
        apps[0].handleInvocation("dapr") { _ in try await script.respond() }
        #expect(try await caller.invoke(appID: "reviews", method: "istio", httpMethod: .get).status == .serviceUnavailable)
        #expect(script.calls == 2, "the route's one retry, not Resiliency's five")
        #expect(try await caller.invoke(appID: "reviews", method: "dapr", httpMethod: .get).status == .serviceUnavailable)
        #expect(script.calls == 2 + 6, "Resiliency's five retries where the route sets none")
        #expect(caller.callStack(for: .app("reviews")).contains(.circuitBreaker))
    }

    @Test("a route's retries follow Envoy: a POST is retried on 5xx, and a status retryOn does not name is not")
    func envoyRetrySemantics() async throws {
        let script = Script(.status(503), .status(500), .status(200))
        let (caller, apps) = try await Self.meshes(
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: { name: reviews }
            spec:
              hosts: [reviews]
              http:
                - route: [{ destination: { host: reviews } }]
                  retries: { attempts: 3, retryOn: "503" }
            """
        )
        apps[0].handleInvocation("work") { _ in try await script.respond() }
        #expect(try await caller.invoke(appID: "reviews", method: "work", httpMethod: .post).status == .internalServerError)
        #expect(script.calls == 2, "503 retried even for a POST; 500 is not in retryOn")
    }

    @Test("mirror sends a copy while the mesh runs and ignores its answer; the caller does not wait for it")
    func mirror() async throws {
        let (caller, apps) = try await Self.meshes(
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: { name: reviews }
            spec:
              hosts: [reviews]
              http:
                - route: [{ destination: { host: reviews } }]
                  mirror: { host: reviews-v2 }
                  mirrorPercentage: { value: 100 }
            """
        )
        let mirrored = Mutex<[String]>([])
        apps[1].handleInvocation("work") { request in
            try await Task.sleep(for: .seconds(2))
            mirrored.withLock { $0.append(request.method) }
            return .text("the shadow's answer", status: .internalServerError)
        }
        apps[0].handleInvocation("work") { _ in .text("primary") }
        let runner = Task { try await caller.run() }
        defer { runner.cancel() }
        let start = ContinuousClock.now
        let response = try await caller.invoke(appID: "reviews", method: "work")
        #expect(Self.text(response) == "primary")
        #expect(ContinuousClock.now - start < .seconds(1), "the caller did not wait for the 2s shadow")
        try await eventually(timeout: .seconds(10), "the copy reached the shadow") {
            let copies = mirrored.withLock { $0 }
            return copies == ["work"]
        }
    }
}
