import CoreMetrics
import Foundation
import HTTPTypes
import MeshKit
import MeshKitTesting
import Synchronization

/// Counts calls and answers each with the next scripted behaviour (the last one repeats).
final class Script: Sendable {
    enum Step: Sendable {
        case status(Int, retryAfter: String? = nil)
        case fail(MeshError.Code)
        case stall(Duration)
    }

    private let state: Mutex<(calls: Int, cancelled: Int, steps: [Step])>

    init(_ steps: Step...) {
        state = Mutex((0, 0, steps))
    }

    var calls: Int { state.withLock { $0.calls } }
    var cancelledCalls: Int { state.withLock { $0.cancelled } }

    /// The next step, counting the call.
    func next() -> Step {
        state.withLock { state in
            state.calls += 1
            return state.steps[min(state.calls, state.steps.count) - 1]
        }
    }

    /// Plays the next step as an invocation handler would.
    func respond() async throws -> InvocationResponse {
        switch next() {
        case .status(let code, let retryAfter):
            var headers = HTTPFields()
            headers[.retryAfter] = retryAfter
            return InvocationResponse(status: HTTPResponse.Status(code: code), headers: headers)
        case .fail(let code):
            throw MeshError(code, "scripted failure")
        case .stall(let duration):
            do {
                try await Task.sleep(for: duration)
            } catch {
                state.withLock { $0.cancelled += 1 }
                throw error
            }
            return InvocationResponse(status: .ok)
        }
    }
}

/// A remote transport whose attempts follow a script: for failures that only a transport has,
/// such as a connection refused before the request was sent.
struct ScriptedTransport: InvocationTransport {
    let script: Script
    let resolver: any NameResolver = StaticNameResolver(["flaky": [Endpoint(host: "127.0.0.1", port: 9)]])

    func invoke(_ request: InvocationRequest, at endpoint: Endpoint, policy: TrafficPolicy) async throws -> InvocationResponse {
        try await script.respond()
    }
}

/// A state store that plays a script on every write: the test double of a failing backend.
struct ScriptedStateStore: StateStore {
    let script: Script
    let storage = InMemoryStateStore()

    func get(key: String, metadata: [String: String]) async throws -> StateItem? {
        try await storage.get(key: key, metadata: metadata)
    }

    func set(_ item: SaveStateItem) async throws {
        _ = try await script.respond()
        try await storage.set(item)
    }

    func delete(_ item: DeleteStateItem) async throws {
        try await storage.delete(item)
    }

    func transact(_ operations: [StateOperation], metadata: [String: String]) async throws {
        try await storage.transact(operations, metadata: metadata)
    }
}

/// A mesh calling an app named `flaky` in the same process, whose handler plays `script`, under
/// `resiliency`. Keep the returned callee alive as long as the caller calls it.
func meshCallingFlakyApp(
    _ script: Script,
    resiliency: ResiliencyResource,
    monotonicClock: MonotonicClock = .system,
    metricsFactory: (any MetricsFactory)? = nil
) async throws -> (caller: Mesh, callee: Mesh) {
    let network = InProcessNetwork()
    var configuration = MeshConfiguration.testing(network: network, monotonicClock: monotonicClock)
    configuration.resources.resiliencies = [resiliency]
    configuration.metricsFactory = metricsFactory
    let caller = try await Mesh(appID: "caller", configuration: configuration)
    let flaky = try await Mesh(appID: "flaky", configuration: .testing(network: network))
    flaky.handleInvocation("work") { _ in try await script.respond() }
    return (caller, flaky)
}

/// A resiliency resource with one app target named `flaky`.
func resiliency(
    retry: RetryPolicy? = nil,
    timeout: Duration? = nil,
    breaker: CircuitBreakerPolicy? = nil,
    deadline: Duration? = nil,
    extensions: ResiliencyExtensions = ResiliencyExtensions(),
    names: PolicyNames = PolicyNames()
) -> ResiliencyResource {
    var names = names
    var timeouts: [String: Duration] = [:]
    if retry != nil { names.retry = "retry" }
    if let timeout { timeouts["attempt"] = timeout; names.timeout = "attempt" }
    if breaker != nil { names.circuitBreaker = "breaker" }
    if let deadline { timeouts["overall"] = deadline; names.deadline = "overall" }
    return ResiliencyResource(
        name: "test",
        timeouts: timeouts,
        retries: retry.map { ["retry": $0] } ?? [:],
        circuitBreakers: breaker.map { ["breaker": $0] } ?? [:],
        extensions: extensions,
        apps: ["flaky": names]
    )
}
