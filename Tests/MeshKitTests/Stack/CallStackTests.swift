import Foundation
import HTTPTypes
import MeshKit
import MeshKitTesting
import Synchronization
import Testing

/// A filter of the app's own, which stamps each call and counts what it sees.
final class StampFilter: CallFilter {
    let seen = Mutex<[String]>([])

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        seen.withLock { $0.append("\(call.target) attempt \(call.attempt)") }
        var call = call
        call.invocation?.headers[HTTPField.Name("x-stamp")!] = "stamped"
        return try await next(call)
    }
}

/// A filter of the app's own that only acts on calls to `work`, and says it passes the others
/// through.
final class WorkOnlyFilter: CallFilter {
    let handled = Mutex<[String]>([])

    func passesThrough<Result: Sendable>(_ call: MeshCall<Result>) -> Bool {
        call.invocation?.method != "work"
    }

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        handled.withLock { $0.append(call.invocation?.method ?? "") }
        return try await next(call)
    }
}

@Suite("the call stack: a value built from the resources, which the app can inspect and edit")
struct CallStackTests {
    @Test("a target's stack lists MeshKit's filters in order, only those its resources ask for")
    func standardOrder() async throws {
        let (caller, callee) = try await meshCallingFlakyApp(
            Script(.status(200)),
            resiliency: resiliency(
                retry: .constant(.milliseconds(1), maxRetries: 2),
                timeout: .seconds(1),
                breaker: try CircuitBreakerPolicy(maxRequests: 1, timeout: .seconds(60), trip: "consecutiveFailures > 5"),
                deadline: .seconds(5)
            )
        )
        #expect(
            caller.callStack(for: .app("flaky")).names
                == [.metrics, .deadline, .retry, .circuitBreaker, .attemptTimeout]
        )
        #expect(caller.callStack(for: .app("other")).names == [.metrics, .attemptTimeout])
        _ = callee
    }

    @Test("editStack inserts the app's own filter after a named one; it runs on every attempt and may change the call")
    func insertAfterRetry() async throws {
        let stamp = StampFilter()
        let network = InProcessNetwork()
        var configuration = MeshConfiguration.testing(network: network)
        configuration.resources.resiliencies = [resiliency(retry: .constant(.milliseconds(1), maxRetries: 2))]
        configuration.editStack = { stack, target in
            if target == .app("flaky") { stack.insert("stamp", stamp, after: .retry) }
        }
        let caller = try await Mesh(appID: "caller", configuration: configuration)
        let callee = try await Mesh(appID: "flaky", configuration: .testing(network: network))
        let stamps = Mutex<[String?]>([])
        let script = Script(.status(503), .status(200))
        callee.handleInvocation("work") { request in
            stamps.withLock { $0.append(request.headers[HTTPField.Name("x-stamp")!]) }
            return try await script.respond()
        }
        #expect(caller.callStack(for: .app("flaky")).names == [.metrics, .retry, "stamp", .attemptTimeout])
        #expect(try await caller.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        let seen = stamp.seen.withLock { $0 }
        #expect(seen == ["app 'flaky' attempt 1", "app 'flaky' attempt 2"])
        let received = stamps.withLock { $0 }
        #expect(received == ["stamped", "stamped"])
    }

    @Test("a removed filter is gone: without the retry filter a 503 comes straight back")
    func removeRetry() async throws {
        let network = InProcessNetwork()
        var configuration = MeshConfiguration.testing(network: network)
        configuration.resources.resiliencies = [resiliency(retry: .constant(.milliseconds(1), maxRetries: 3))]
        configuration.editStack = { stack, _ in stack.remove(.retry) }
        let caller = try await Mesh(appID: "caller", configuration: configuration)
        let callee = try await Mesh(appID: "flaky", configuration: .testing(network: network))
        let script = Script(.status(503), .status(200))
        callee.handleInvocation("work") { _ in try await script.respond() }
        #expect(try await caller.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .serviceUnavailable)
        #expect(script.calls == 1)
    }

    @Test("a filter that passes a call through is skipped for it, and the filters after it still run")
    func passingThroughSkips() async throws {
        let workOnly = WorkOnlyFilter()
        let stamp = StampFilter()
        let network = InProcessNetwork()
        var configuration = MeshConfiguration.testing(network: network)
        configuration.editStack = { stack, target in
            if target == .app("flaky") {
                stack.insert("work-only", workOnly, before: .attemptTimeout)
                stack.insert("stamp", stamp, before: .attemptTimeout)
            }
        }
        let caller = try await Mesh(appID: "caller", configuration: configuration)
        let callee = try await Mesh(appID: "flaky", configuration: .testing(network: network))
        callee.handleInvocation("work") { _ in .text("") }
        callee.handleInvocation("rest") { _ in .text("") }
        for method in ["work", "rest", "work"] {
            #expect(try await caller.invoke(appID: "flaky", method: method, httpMethod: .get).status == .ok)
        }
        #expect(workOnly.handled.withLock { $0 } == ["work", "work"])
        #expect(stamp.seen.withLock { $0.count } == 3)
    }

    @Test("inserting before or after a filter the stack lacks reports it and changes nothing")
    func insertNextToMissing() {
        var stack = CallStack([.init(.metrics, StampFilter())])
        let besideMissing = stack.insert("x", StampFilter(), before: .retry)
        #expect(!besideMissing)
        #expect(stack.names == [.metrics])
        let besideMetrics = stack.insert("x", StampFilter(), before: .metrics)
        #expect(besideMetrics)
        #expect(stack.names == ["x", .metrics])
        let replaced = stack.replace(.metrics, with: StampFilter())
        #expect(replaced)
        #expect(stack.description == "x → metrics")
    }
}
