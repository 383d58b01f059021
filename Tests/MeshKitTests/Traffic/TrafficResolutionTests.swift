import MeshKit
import MeshKitTesting
import Synchronization
import Testing

/// A resolver with one endpoint per app that counts how it is asked; with `knowsAhead`, it
/// answers ``NameResolver/knownEndpoints(appID:)`` as a fixed table or a fresh cache does.
private final class CountingResolver: NameResolver {
    struct Counts: Equatable {
        var known = 0
        var resolved = 0
    }

    let knowsAhead: Bool
    let counts = Mutex(Counts())

    init(knowsAhead: Bool) {
        self.knowsAhead = knowsAhead
    }

    func resolve(appID: String) async throws -> [Endpoint] {
        counts.withLock { $0.resolved += 1 }
        await Task.yield()
        return endpoints(of: appID)
    }

    func knownEndpoints(appID: String) -> [Endpoint]? {
        guard knowsAhead else { return nil }
        counts.withLock { $0.known += 1 }
        return endpoints(of: appID)
    }

    private func endpoints(of appID: String) -> [Endpoint] {
        [Endpoint(host: "\(appID).example", port: 3500, labels: ["version": "v1"])]
    }
}

/// A transport that answers with the app and the endpoint it was sent to.
private struct EchoingTransport: InvocationTransport {
    let resolver: any NameResolver

    func invoke(_ request: InvocationRequest, at endpoint: Endpoint, policy: TrafficPolicy) async throws -> InvocationResponse {
        .text("\(request.appID) at \(endpoint.host)")
    }
}

@Suite("the balancer picks from the endpoints a resolver already knows without waiting, and asks it otherwise")
struct TrafficResolutionTests {
    private static let routed = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: products }
        spec:
          hosts: [products]
          http:
            - route:
                - destination: { host: catalog, subset: v1 }
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: catalog }
        spec:
          host: catalog
          trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } }
          subsets:
            - { name: v1, labels: { version: v1 } }
        """

    private func caller(_ resolver: CountingResolver, network: InProcessNetwork = InProcessNetwork()) async throws -> Mesh {
        var configuration = MeshConfiguration.testing(network: network, resources: try ResourceLoader.parse(yaml: Self.routed, file: "routes.yaml"))
        configuration.remoteTransport = EchoingTransport(resolver: resolver)
        return try await Mesh(appID: "caller", configuration: configuration)
    }

    @Test(
        "known endpoints are used without a lookup; unknown ones are looked up on every call; both reach the same endpoint, routed or not",
        arguments: [true, false]
    )
    func knownOrLookedUp(knowsAhead: Bool) async throws {
        let resolver = CountingResolver(knowsAhead: knowsAhead)
        let mesh = try await caller(resolver)
        for _ in 0..<3 {
            let routed = try await mesh.invoke(appID: "products", method: "mug", httpMethod: .get)
            #expect(String(decoding: routed.body, as: UTF8.self) == "catalog at catalog.example")
            let direct = try await mesh.invoke(appID: "orders", method: "latest", httpMethod: .get)
            #expect(String(decoding: direct.body, as: UTF8.self) == "orders at orders.example")
        }
        let counts = resolver.counts.withLock { $0 }
        #expect(counts == (knowsAhead ? .init(known: 6, resolved: 0) : .init(known: 0, resolved: 6)))
        await mesh.shutdown()
    }

    @Test("an app that joins the process after calls went out to it is then called in the process, and out again once it leaves")
    func appJoiningTheProcess() async throws {
        let network = InProcessNetwork()
        let mesh = try await caller(CountingResolver(knowsAhead: true), network: network)
        let before = try await mesh.invoke(appID: "orders", method: "latest", httpMethod: .get)
        #expect(String(decoding: before.body, as: UTF8.self) == "orders at orders.example")

        var configuration = MeshConfiguration.testing(network: network)
        configuration.resources.components = []
        let orders = try await Mesh(appID: "orders", configuration: configuration)
        orders.handleInvocation("latest") { _ in .text("orders in this process") }
        let local = try await mesh.invoke(appID: "orders", method: "latest", httpMethod: .get)
        #expect(String(decoding: local.body, as: UTF8.self) == "orders in this process")

        await orders.shutdown()
        let after = try await mesh.invoke(appID: "orders", method: "latest", httpMethod: .get)
        #expect(String(decoding: after.body, as: UTF8.self) == "orders at orders.example")
        await mesh.shutdown()
    }
}
