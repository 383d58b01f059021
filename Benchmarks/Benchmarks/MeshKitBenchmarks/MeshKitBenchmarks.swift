import Benchmark
import Foundation
import Logging
import MeshKit
import Synchronization

/// In-memory figures of the foundation: state calls, publish→handler delivery and in-process
/// invocation, wall clock and mallocs per operation.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 100,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )

    Benchmark("state: saveState, in-memory") { benchmark in
        let mesh = try await makeMesh("state-save")
        let value = Data(#"{"id":"order-1","amount":42}"#.utf8)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try await mesh.saveState(store: "statestore", key: "order-1", data: value)
        }
        benchmark.stopMeasurement()
    }

    Benchmark("pubsub: publish → handler, in-memory") { benchmark in
        let mesh = try await makeMesh("pubsub")
        let expected = benchmark.scaledIterations.count
        let counter = DeliveryCounter(expected: expected)
        try await mesh.subscribe(pubsub: "pubsub", topic: "bench", options: SubscriptionOptions(maxConcurrentDeliveries: 1)) { _ in
            counter.increment()
            return .success
        }
        let payload = Data(#"{"id":"order-1","amount":42}"#.utf8)
        // The mesh runs as a child task, cancelled and awaited when the measurement ends, also
        // when a publish throws.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await mesh.run() }
            defer { group.cancelAll() }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                try await mesh.publish(pubsub: "pubsub", topic: "bench", data: payload, contentType: "application/json")
            }
            await counter.waitUntilDone()
            benchmark.stopMeasurement()
        }
    }

    Benchmark("pipeline: bare store.get (baseline)") { benchmark in
        let store = InMemoryStateStore()
        try await store.set(SaveStateItem(key: "app||order-1", value: Data(#"{"id":"order-1"}"#.utf8)))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await store.get(key: "app||order-1", metadata: [:]))
        }
        benchmark.stopMeasurement()
    }

    // getState on the in-memory store with no policies, then with the outbound pipeline (`true`: with timeouts).
    for (name, withTimeouts) in [
        ("no policies", nil),
        ("retry+budget+breaker", false),
        ("deadline+retry+budget+breaker+attempt timeout", true),
    ] as [(String, Bool?)] {
        Benchmark("pipeline: getState, \(name)") { benchmark in
            let mesh = try await makeMesh("pipeline", resiliency: try withTimeouts.map { try fullPolicies(withTimeouts: $0) })
            try await mesh.saveState(store: "statestore", key: "order-1", data: Data(#"{"id":"order-1"}"#.utf8))
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try await mesh.getState(store: "statestore", key: "order-1"))
            }
            benchmark.stopMeasurement()
        }
    }

    // One pick over 1,000 hosts: least request (power of two choices weighed by latency), and
    // round robin as the baseline. Host loads and latency estimates vary, and so do the times the
    // estimates were last updated (a tenth of the hosts long ago, so that some picks decay one).
    let trafficHosts = HostSet(
        (0..<1_000).map { index in
            let host = UpstreamHost(endpoint: Endpoint(host: "10.0.\(index / 256).\(index % 256)", port: 8080))
            for _ in 0..<(index % 7) + 1 { host.beginCall() }
            host.endCall(answeredAfter: .microseconds(200 + index % 13 * 50), at: .seconds(index % 10 == 0 ? 0 : 60))
            return host
        }
    )
    for (name, policy) in [
        ("traffic.p2c-pick-1000", LoadBalancerPolicy.simple(.leastRequest)),
        ("traffic.round-robin-pick-1000", .simple(.roundRobin)),
    ] {
        Benchmark(name) { benchmark in
            let balancer = makeBalancer(policy)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(balancer.pick(from: trafficHosts, hashKey: nil))
            }
            benchmark.stopMeasurement()
        }
    }

    // invoke to an app outside the process, through a transport that answers at once: the stack's
    // own cost. "retry+budget+breaker" against the same plus a VirtualService route with a
    // weighted subset, a LEAST_REQUEST (P2C) balancer over four endpoints and outlier detection.
    for (name, routed) in [("retry+budget+breaker", false), ("retry+budget+breaker+route+subset+p2c+outlier", true)] {
        Benchmark("stack: invoke remote, \(name)") { benchmark in
            let mesh = try await makeRemoteCaller(routed: routed)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try await mesh.invoke(appID: "remote", method: "products/mug", httpMethod: .get))
            }
            benchmark.stopMeasurement()
        }
    }

    // The stacks alone, with no mesh call around them: a call run through the filters the
    // resources build, to a body that answers at once, against the same call through an empty
    // stack; the difference is the stack's own cost. "retry+budget+breaker" is a state store's
    // stack under Dapr's policies; the routed one is an invocation of `remote` under the same
    // policies plus a VirtualService route with a weighted subset, a P2C balancer over four
    // endpoints and outlier detection.
    Benchmark("stack: run, empty (baseline)") { benchmark in
        let call = MeshCall<Int>(target: .component("statestore", .state, .outbound), reading: .returnedIsSuccess)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await CallStack().run(call) { _ in 42 })
        }
        benchmark.stopMeasurement()
    }
    Benchmark("stack: run, retry+budget+breaker") { benchmark in
        let target = PolicyTarget.component("statestore", .state, .outbound)
        let mesh = try await makeMesh("stack", resiliency: try fullPolicies(withTimeouts: false))
        let stack = mesh.callStack(for: target)
        let call = MeshCall<Int>(target: target, reading: .returnedIsSuccess)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await stack.run(call) { _ in 42 })
        }
        benchmark.stopMeasurement()
        withExtendedLifetime(mesh) {}
    }
    Benchmark("stack: run, retry+budget+breaker+route+subset+p2c+outlier") { benchmark in
        let mesh = try await makeRemoteCaller(routed: true)
        let stack = mesh.callStack(for: .app("remote"))
        let call = MeshCall(
            target: .app("remote"),
            reading: .invocation,
            invocation: InvocationRequest(appID: "remote", method: "products/mug", httpMethod: .get)
        )
        let answer = InvocationResponse(status: .ok)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await stack.run(call) { _ in answer })
        }
        benchmark.stopMeasurement()
        withExtendedLifetime(mesh) {}
    }

    // A request an app's own HTTP server answers (a Hummingbird route, say) under the app's
    // inbound policies, with none configured and no tracer: the mesh's own share of
    // MeshKitMiddleware's cost (the inbound stack and the duration histogram, here on the no-op
    // metrics backend), against the body alone.
    Benchmark("inbound: body alone (baseline)") { benchmark in
        let answer: @Sendable () async throws -> Int = { 200 }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await answer())
        }
        benchmark.stopMeasurement()
    }
    Benchmark("inbound: withInboundPolicies, no policies") { benchmark in
        let mesh = try await makeMesh("inbound")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await mesh.withInboundPolicies(method: .get, route: "/hello", headers: [:], status: { $0 }) { 200 })
        }
        benchmark.stopMeasurement()
    }
    // The same request admitted inline and awaited by the server itself, as MeshKitMiddleware
    // does when no inbound filter needs more than a check before and a record after.
    Benchmark("inbound: admitInbound, the body, finishInbound, no policies") { benchmark in
        let mesh = try await makeMesh("inbound")
        let answer: @Sendable () async throws -> Int = { 200 }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            guard let admission = try mesh.admitInbound(method: .get, route: "/hello", headers: [:]) else {
                fatalError("a request with no policies needs no stack run")
            }
            mesh.finishInbound(admission, status: try await answer())
        }
        benchmark.stopMeasurement()
    }

    // One authorization decision for product-service with the seed's AuthorizationPolicy plus
    // 100 others that select it (50 DENY, 50 ALLOW): an allowed call that passes every DENY
    // policy and is matched by the seed's rule, a plaintext health check, and a denied call.
    Benchmark("security.authorize-seed+100") { benchmark in
        let authorizer = try seedAuthorizerPlus100()
        let requests = [
            AuthorizationRequest(
                principal: "cluster.local/ns/my-app/sa/order-service",
                namespace: "my-app",
                sourceIP: "10.1.2.3",
                method: "GET",
                path: "/api/products/42",
                port: 3500
            ),
            AuthorizationRequest(sourceIP: "10.1.2.4", method: "GET", path: "/health/live", port: 3500),
            AuthorizationRequest(
                principal: "cluster.local/ns/my-app/sa/payment-service",
                namespace: "my-app",
                method: "DELETE",
                path: "/api/products/42",
                port: 3500
            ),
        ]
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(authorizer.decide(requests[index % 3]))
        }
        benchmark.stopMeasurement()
    }

    Benchmark("invocation: invoke, in-process") { benchmark in
        let network = InProcessNetwork()
        let caller = try await makeMesh("caller", network: network)
        let callee = try await makeMesh("callee", network: network)
        callee.handleInvocation("products/{sku}") { request in
            InvocationResponse(body: request.body)
        }
        let body = Data(#"{"quantity":1}"#.utf8)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await caller.invoke(appID: "callee", method: "products/mug", body: body))
        }
        benchmark.stopMeasurement()
    }
}

/// The seed's `authorizationpolicy.yaml` (from the tests' fixtures) plus 100 generated
/// policies selecting product-service in my-app.
func seedAuthorizerPlus100() throws -> Authorizer {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    var resources = try ResourceLoader.load(file: root.appendingPathComponent("Tests/Fixtures/seed-istio/authorizationpolicy.yaml").path)
    var yaml = ""
    for index in 0..<100 {
        let deny = index % 2 == 0
        yaml += """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: generated-\(index), namespace: my-app}
            spec:
              action: \(deny ? "DENY" : "ALLOW")
              selector: {matchLabels: {app: product-service}}
              rules:
              - from: [{source: {\(deny ? "notPrincipals" : "principals"): ["cluster.local/ns/my-app/sa/svc-\(index)", "*/sa/batch-\(index)"], ipBlocks: ["10.\(index).0.0/16"]}}]
                to: [{operation: {methods: ["GET", "PUT"], paths: ["/internal/\(index)/*", "*.v\(index)"]}}]
                when: [{key: "request.headers[x-tenant-\(index)]", values: ["t-\(index)"]}]
            ---

            """
    }
    resources.merge(try ResourceLoader.parse(yaml: yaml, file: "generated.yaml"))
    return Authorizer(resources: resources, workload: AuthorizationWorkload(appID: "product-service", namespace: "my-app"))
}

func makeMesh(_ appID: String, network: InProcessNetwork = InProcessNetwork(), resiliency: ResiliencyResource? = nil) async throws -> Mesh {
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    var configuration = MeshConfiguration(network: network, logger: logger)
    // Named, not defaulted: a mesh given any resource gets no in-memory defaults.
    configuration.resources.components = [
        ComponentResource(name: "statestore", type: InMemoryStateStore.componentType),
        ComponentResource(name: "pubsub", type: InMemoryPubSub.componentType),
    ]
    configuration.resources.resiliencies = resiliency.map { [$0] } ?? []
    return try await Mesh(appID: appID, configuration: configuration)
}

/// A transport that answers 200 at once, over four endpoints labelled v1 and v2.
struct AnsweringTransport: InvocationTransport {
    let resolver: any NameResolver = StaticNameResolver([
        "remote": (0..<4).map { Endpoint(host: "10.0.0.\($0)", port: 3500, labels: ["version": $0 < 2 ? "v1" : "v2"]) }
    ])

    func invoke(_ request: InvocationRequest, at endpoint: Endpoint, policy: TrafficPolicy) async throws -> InvocationResponse {
        InvocationResponse(status: .ok)
    }
}

/// A mesh calling `remote` through ``AnsweringTransport`` under Dapr retry, budget and breaker,
/// and with `routed`, a VirtualService and a DestinationRule as well.
func makeRemoteCaller(routed: Bool) async throws -> Mesh {
    var logger = Logger(label: "bench")
    logger.logLevel = .critical
    var configuration = MeshConfiguration(remoteTransport: AnsweringTransport(), logger: logger)
    configuration.resources.resiliencies = [
        ResiliencyResource(
            name: "bench",
            retries: ["retry": .constant(.milliseconds(10), maxRetries: 3)],
            circuitBreakers: ["breaker": try CircuitBreakerPolicy(maxRequests: 1, timeout: .seconds(30), trip: "consecutiveFailures >= 5")],
            apps: ["remote": PolicyNames(retry: "retry", circuitBreaker: "breaker")]
        )
    ]
    if routed {
        configuration.resources.merge(
            try ResourceLoader.parse(
                yaml: """
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: { name: remote }
                    spec:
                      hosts: [remote]
                      http:
                        - route:
                            - { destination: { host: remote, subset: v1 }, weight: 90 }
                            - { destination: { host: remote, subset: v2 }, weight: 10 }
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: { name: remote }
                    spec:
                      host: remote
                      trafficPolicy:
                        loadBalancer: { simple: LEAST_REQUEST }
                        outlierDetection: { consecutive5xxErrors: 5 }
                      subsets:
                        - { name: v1, labels: { version: v1 } }
                        - { name: v2, labels: { version: v2 } }
                    """,
                file: "bench.yaml"
            )
        )
    }
    return try await Mesh(appID: "caller", configuration: configuration)
}

/// Dapr-style outbound policies for the default state store.
func fullPolicies(withTimeouts: Bool) throws -> ResiliencyResource {
    ResiliencyResource(
        name: "bench",
        timeouts: ["attempt": .seconds(5), "overall": .seconds(30)],
        retries: ["retry": .constant(.milliseconds(10), maxRetries: 3)],
        circuitBreakers: ["breaker": try CircuitBreakerPolicy(maxRequests: 1, timeout: .seconds(30), trip: "consecutiveFailures >= 5")],
        components: [
            "statestore": ComponentPolicyNames(
                outbound: PolicyNames(
                    timeout: withTimeouts ? "attempt" : nil,
                    retry: "retry",
                    circuitBreaker: "breaker",
                    deadline: withTimeouts ? "overall" : nil
                )
            )
        ]
    )
}

/// Counts deliveries and wakes the benchmark when all have arrived.
final class DeliveryCounter: Sendable {
    private let state: Mutex<(count: Int, waiter: CheckedContinuation<Void, Never>?)> = Mutex((0, nil))
    private let expected: Int

    init(expected: Int) {
        self.expected = expected
    }

    func increment() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count == expected else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func waitUntilDone() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.count >= expected { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}
