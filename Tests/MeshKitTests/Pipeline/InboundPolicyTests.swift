import Foundation
import HTTPTypes
import MeshKit
import MeshKitTesting
import Testing

/// `spec.targets.apps.<appID>.inbound`: the policies an app applies to the calls it receives,
/// whichever transport brought them.
@Suite struct InboundPolicyTests {
    static let resiliencyYAML = """
        apiVersion: dapr.io/v1alpha1
        kind: Resiliency
        metadata:
          name: inventory-inbound
        spec:
          policies:
            timeouts:
              handler: 2s
            retries:
              DefaultRetryPolicy:
                policy: constant
                duration: 1ms
                maxRetries: 5
            rateLimits:
              steady: { requestsPerSecond: 1, burst: 2 }
          targets:
            apps:
              inventory:
                inbound:
                  rateLimit: steady
                  timeout: handler
        """

    /// A caller and an `inventory` app in one process; the resiliency file is the callee's only.
    static func meshes(script: Script, clock: ManualClock) async throws -> (caller: Mesh, callee: Mesh) {
        let network = InProcessNetwork()
        let resources = try ResourceLoader.parse(yaml: resiliencyYAML, file: "inventory-inbound.yaml")
        let callee = try await Mesh(
            appID: "inventory",
            configuration: .testing(network: network, resources: resources, monotonicClock: clock.monotonicClock)
        )
        callee.handleInvocation("stock") { _ in try await script.respond() }
        let caller = try await Mesh(appID: "checkout", configuration: .testing(network: network))
        return (caller, callee)
    }

    @Test("the callee's inbound rate limit answers 429 once its burst is spent, and refills with time")
    func inboundRateLimit() async throws {
        let clock = ManualClock()
        let (caller, callee) = try await Self.meshes(script: Script(.status(200)), clock: clock)
        var statuses: [Int] = []
        for _ in 0..<3 {
            statuses.append(try await caller.invoke(appID: "inventory", method: "stock", httpMethod: .get).status.code)
        }
        #expect(statuses == [200, 200, 429])
        clock.advance(by: 1)
        #expect(try await caller.invoke(appID: "inventory", method: "stock", httpMethod: .get).status == .ok)
        _ = callee
    }

    @Test("a handler that outlives the inbound timeout is cancelled and the caller gets 504")
    func inboundTimeout() async throws {
        let script = Script(.stall(.seconds(30)))
        let (caller, callee) = try await Self.meshes(script: script, clock: ManualClock())
        let response = try await caller.invoke(appID: "inventory", method: "stock", httpMethod: .get)
        #expect(response.status.code == 504)
        #expect(script.cancelledCalls == 1, "the handler's task was cancelled, not left running")
        _ = callee
    }

    @Test("the callee never retries its own handler, even with a DefaultRetryPolicy in its resources")
    func noInboundRetries() async throws {
        let script = Script(.status(503))
        let (caller, callee) = try await Self.meshes(script: script, clock: ManualClock())
        let response = try await caller.invoke(appID: "inventory", method: "stock", httpMethod: .get)
        #expect(response.status.code == 503)
        #expect(script.calls == 1)
        _ = callee
    }

    @Test("a resiliency resource built in code with an inbound retry still never retries the handler")
    func inboundRetryInCodeIsIgnored() async throws {
        let script = Script(.status(503))
        let network = InProcessNetwork()
        let resources = ResourceSet(resiliencies: [
            ResiliencyResource(
                name: "in-code",
                retries: ["eager": .constant(.milliseconds(1), maxRetries: 5)],
                inboundApps: ["inventory": PolicyNames(retry: "eager")]
            )
        ])
        let callee = try await Mesh(appID: "inventory", configuration: .testing(network: network, resources: resources))
        callee.handleInvocation("stock") { _ in try await script.respond() }
        let caller = try await Mesh(appID: "checkout", configuration: .testing(network: network))
        #expect(try await caller.invoke(appID: "inventory", method: "stock", httpMethod: .get).status.code == 503)
        #expect(script.calls == 1)
    }

    @Test("retry under an app's inbound target is refused, naming the file, the line and the field")
    func inboundRetryIsRefused() throws {
        let yaml = Self.resiliencyYAML.replacingOccurrences(of: "rateLimit: steady\n", with: "retry: DefaultRetryPolicy\n")
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "inventory-inbound.yaml") }
        #expect(error.code == .malformedResource)
        #expect(error.context.file == "inventory-inbound.yaml")
        #expect(error.context.line != nil)
        #expect(error.message.contains("spec.targets.apps.inventory.inbound.retry"))
    }

    @Test("an inbound target naming an undefined policy is refused")
    func undefinedInboundPolicy() throws {
        let yaml = Self.resiliencyYAML.replacingOccurrences(of: "rateLimit: steady", with: "rateLimit: missing")
        let error = try #require(throws: MeshError.self) { try ResourceLoader.parse(yaml: yaml, file: "inventory-inbound.yaml") }
        #expect(error.message.contains("spec.targets.apps.inventory.inbound"))
        #expect(error.message.contains("rateLimit 'missing'"))
    }
}
