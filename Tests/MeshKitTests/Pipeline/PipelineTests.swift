import Foundation
import HTTPTypes
import MeshKit
import MeshKitTesting
import Synchronization
import Testing

@Suite("The policy pipeline around invocations")
struct PipelineTests {
    let fast = RetryPolicy.constant(.milliseconds(1), maxRetries: 3)

    @Test("a 503 is retried until success, and the caller gets the success")
    func retryUntilSuccess() async throws {
        let script = Script(.status(503), .status(503), .status(200))
        let (mesh, callee) = try await meshCallingFlakyApp(script, resiliency: resiliency(retry: fast))
        let response = try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get)
        #expect(response.status == .ok)
        #expect(script.calls == 3)
        _ = callee
    }

    @Test("when retries run out the last response comes back unchanged; maxRetries 0 means one attempt")
    func exhaustedRetriesReturnLastResponse() async throws {
        let script = Script(.status(502))
        let (mesh, callee) = try await meshCallingFlakyApp(script, resiliency: resiliency(retry: fast))
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .badGateway)
        #expect(script.calls == 4)
        let once = Script(.status(500))
        let (single, callee2) = try await meshCallingFlakyApp(
            once,
            resiliency: resiliency(retry: .constant(.milliseconds(1), maxRetries: 0))
        )
        _ = try await single.invoke(appID: "flaky", method: "work", httpMethod: .get)
        #expect(once.calls == 1)
        _ = (callee, callee2)
    }

    @Test("matching.httpStatusCodes limits which statuses are retried; 4xx are not retried by default")
    func matching() async throws {
        var onlyConflicts = fast
        onlyConflicts.matching = RetryMatching(httpStatusCodes: [409...409])
        let conflicts = Script(.status(409), .status(200))
        let (mesh, callee) = try await meshCallingFlakyApp(conflicts, resiliency: resiliency(retry: onlyConflicts))
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        #expect(conflicts.calls == 2)
        let serverError = Script(.status(500))
        let (other, callee2) = try await meshCallingFlakyApp(serverError, resiliency: resiliency(retry: onlyConflicts))
        #expect(try await other.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .internalServerError)
        #expect(serverError.calls == 1)
        let notFound = Script(.status(404))
        let (third, callee3) = try await meshCallingFlakyApp(notFound, resiliency: resiliency(retry: fast))
        #expect(try await third.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .notFound)
        #expect(notFound.calls == 1)
        _ = (callee, callee2, callee3)
    }

    @Test("POST is not retried once the request may have been sent, unless marked idempotent")
    func nonIdempotentCalls() async throws {
        let post = Script(.status(503), .status(503), .status(200))
        let (mesh, callee) = try await meshCallingFlakyApp(post, resiliency: resiliency(retry: fast))
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .post).status == .serviceUnavailable)
        #expect(post.calls == 1)
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .post, idempotent: true).status == .ok)
        #expect(post.calls == 3)
        for method in [HTTPRequest.Method.get, .put, .delete, .head] {
            let script = Script(.status(503), .status(200))
            let (caller, callee) = try await meshCallingFlakyApp(script, resiliency: resiliency(retry: fast))
            #expect(try await caller.invoke(appID: "flaky", method: "work", httpMethod: method).status == .ok, "\(method)")
            _ = callee
        }
        _ = callee
    }

    @Test("a connect failure is retried even for POST: the request was never sent")
    func connectFailureRetriedForPost() async throws {
        let script = Script(.fail(.connectFailed), .status(201))
        var configuration = MeshConfiguration.testing()
        configuration.remoteTransport = ScriptedTransport(script: script)
        configuration.resources.resiliencies = [resiliency(retry: fast)]
        let mesh = try await Mesh(appID: "caller", configuration: configuration)
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .post).status == .created)
        #expect(script.calls == 2)

        let reset = Script(.fail(.unavailable), .status(201))
        configuration.remoteTransport = ScriptedTransport(script: reset)
        configuration.network = InProcessNetwork()
        let other = try await Mesh(appID: "caller", configuration: configuration)
        await #expect { try await other.invoke(appID: "flaky", method: "work", httpMethod: .post) } throws: {
            isMeshError($0, .unavailable)
        }
        #expect(reset.calls == 1, "a failure after sending is not retried for POST")
    }

    @Test("Retry-After on a 503 is honoured: with 60s asked and a 10s deadline, the 503 comes back without waiting")
    func retryAfter() async throws {
        let script = Script(.status(503, retryAfter: "60"), .status(200))
        let (mesh, callee) = try await meshCallingFlakyApp(script, resiliency: resiliency(retry: fast, deadline: .seconds(10)))
        let start = ContinuousClock.now
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .serviceUnavailable)
        #expect(ContinuousClock.now - start < .seconds(5), "it waited neither the 60s the peer asked for nor the deadline")
        #expect(script.calls == 1)
        _ = callee
    }

    @Test("without a deadline, a Retry-After longer than the policy's interval is capped at it, not obeyed", .timeLimit(.minutes(1)))
    func retryAfterCapped() async throws {
        let script = Script(.status(429, retryAfter: "3600"), .status(429, retryAfter: "3600"), .status(200))
        let policy = RetryPolicy.constant(.milliseconds(50), maxRetries: 2)
        let (mesh, callee) = try await meshCallingFlakyApp(script, resiliency: resiliency(retry: policy))
        let start = ContinuousClock.now
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(100), "each retry still waited the policy's 50ms")
        #expect(elapsed < .seconds(5), "neither retry waited the hour the peer asked for")
        #expect(script.calls == 3)
        _ = callee
    }

    @Test("a Retry-After shorter than the policy's maximum interval is obeyed")
    func retryAfterWithinPolicy() async throws {
        let script = Script(.status(503, retryAfter: "1"), .status(200))
        let policy = RetryPolicy(
            backoff: .exponential(initialInterval: .milliseconds(1), multiplier: 1.5, maxInterval: .seconds(10), randomizationFactor: 0),
            maxRetries: 1
        )
        let (mesh, callee) = try await meshCallingFlakyApp(script, resiliency: resiliency(retry: policy))
        let start = ContinuousClock.now
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        #expect(ContinuousClock.now - start >= .milliseconds(950), "the retry waited the second the peer asked for")
        _ = callee
    }

    @Test("an attempt timeout cancels the attempt for real, and each retry gets its own")
    func attemptTimeout() async throws {
        let script = Script(.stall(.seconds(30)), .status(200))
        // 300ms, so that on a loaded machine the second attempt still answers within its own.
        let (mesh, callee) = try await meshCallingFlakyApp(script, resiliency: resiliency(retry: fast, timeout: .milliseconds(300)))
        let start = ContinuousClock.now
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(script.calls == 2)
        #expect(script.cancelledCalls == 1, "the timed-out attempt was cancelled, not abandoned")
        _ = callee
    }

    @Test("the deadline bounds every retry together and travels to the callee")
    func deadline() async throws {
        let stalling = Script(.stall(.seconds(30)))
        let (mesh, callee) = try await meshCallingFlakyApp(
            stalling,
            resiliency: resiliency(
                retry: .constant(.milliseconds(1), maxRetries: -1),
                timeout: .milliseconds(20),
                deadline: .milliseconds(300)
            )
        )
        var start = ContinuousClock.now
        await #expect { try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get) } throws: {
            isMeshError($0, .deadlineExceeded) || isMeshError($0, .timeout)
        }
        var elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(3), "retrying forever stopped at the deadline")

        let failing = Script(.status(503))
        let (retrying, callee2) = try await meshCallingFlakyApp(
            failing,
            // 3s, not 1s: the whole suite runs on two cooperative threads, and another test's
            // CPU-heavy debug-build work once held them for over a second, which left no room
            // for a retry inside a 1s deadline.
            resiliency: resiliency(retry: .constant(.milliseconds(100), maxRetries: -1), deadline: .seconds(3))
        )
        start = ContinuousClock.now
        #expect(try await retrying.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .serviceUnavailable)
        elapsed = ContinuousClock.now - start
        #expect(failing.calls >= 2, "retries happened inside the deadline")
        // It stops once the deadline is nearer than the next 100ms wait.
        #expect(elapsed >= .milliseconds(2850) && elapsed < .seconds(6), "retried until the deadline, took \(elapsed)")
        _ = callee2

        let remaining = RemainingDeadline()
        callee.handleInvocation("deadline") { _ in
            remaining.set(MeshDeadline.remaining())
            return .text("ok")
        }
        _ = try await mesh.invoke(appID: "flaky", method: "deadline", httpMethod: .get)
        let seen = try #require(remaining.value)
        #expect(seen > .zero && seen <= .milliseconds(300))
    }

    @Test("an open breaker fails fast, stops the retries, and closes again after its timeout")
    func circuitBreaker() async throws {
        let clock = ManualClock()
        let script = Script(.status(503), .status(503), .status(503), .status(200))
        let breaker = try CircuitBreakerPolicy(maxRequests: 1, timeout: .seconds(30), trip: "consecutiveFailures >= 2")
        let (mesh, callee) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(retry: .constant(.milliseconds(1), maxRetries: 5), breaker: breaker),
            monotonicClock: clock.monotonicClock
        )
        await #expect { try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get) } throws: { isMeshError($0, .circuitOpen) }
        #expect(script.calls == 2, "retry wraps the breaker: once it opens, retrying stops")
        await #expect { try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get) } throws: { isMeshError($0, .circuitOpen) }
        #expect(script.calls == 2, "an open breaker fails fast without calling the app")
        clock.advance(by: 31)
        // Half-open: one trial call; it fails (503), so the breaker opens again.
        await #expect { try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get) } throws: { isMeshError($0, .circuitOpen) }
        #expect(script.calls == 3)
        clock.advance(by: 31)
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        #expect(script.calls == 5)
        _ = callee
    }

    @Test("the retry budget caps retries to a target across calls")
    func retryBudget() async throws {
        let clock = ManualClock()
        let script = Script(.status(503))
        let budget = RetryBudget.Configuration(ratio: 0, minRetriesPerSecond: 1, window: .seconds(2))
        let (mesh, callee) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(
                retry: .constant(.milliseconds(1), maxRetries: 5),
                extensions: ResiliencyExtensions(retryBudgets: ["tight": budget]),
                names: PolicyNames(retryBudget: "tight")
            ),
            monotonicClock: clock.monotonicClock
        )
        for _ in 0..<3 { _ = try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get) }
        #expect(script.calls == 3 + 2, "two retries in the 2s window, then none")
        clock.advance(by: 3)
        _ = try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get)
        #expect(script.calls == 5 + 3, "the window slid: retries are allowed again")
        _ = callee
    }

    @Test("a concurrency limit and a rate limit reject excess calls with tooManyRequests (429)")
    func limits() async throws {
        let clock = ManualClock()
        let script = Script(.stall(.milliseconds(150)), .status(200))
        let (mesh, callee) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(
                extensions: ResiliencyExtensions(concurrencyLimits: ["one": 1]),
                names: PolicyNames(concurrencyLimit: "one")
            )
        )
        async let slow = mesh.invoke(appID: "flaky", method: "work", httpMethod: .get)
        try await Task.sleep(for: .milliseconds(50))
        let rejected = try await #require(throws: MeshError.self) {
            try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get)
        }
        #expect(rejected.code == .tooManyRequests)
        #expect(rejected.code.httpStatus == 429)
        #expect(try await slow.status == .ok)
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok, "the slot is released")

        let (limited, callee2) = try await meshCallingFlakyApp(
            Script(.status(200)),
            resiliency: resiliency(
                extensions: ResiliencyExtensions(rateLimits: ["steady": RateLimitPolicy(requestsPerSecond: 1, burst: 2)]),
                names: PolicyNames(rateLimit: "steady")
            ),
            monotonicClock: clock.monotonicClock
        )
        _ = try await limited.invoke(appID: "flaky", method: "work", httpMethod: .get)
        _ = try await limited.invoke(appID: "flaky", method: "work", httpMethod: .get)
        await #expect { try await limited.invoke(appID: "flaky", method: "work", httpMethod: .get) } throws: {
            isMeshError($0, .tooManyRequests)
        }
        clock.advance(by: 1)
        #expect(try await limited.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        _ = (callee, callee2)
    }

    @Test("fault injection aborts with the configured status or delays the call")
    func faultInjection() async throws {
        let script = Script(.status(200))
        let abort = FaultInjection(abort: FaultInjection.Abort(percentage: 100, httpStatus: 503))
        let (mesh, callee) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(extensions: ResiliencyExtensions(faults: ["abort": abort]), names: PolicyNames(fault: "abort"))
        )
        #expect(try await mesh.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .serviceUnavailable)
        #expect(script.calls == 0, "an aborted call never reaches the app")

        let delay = FaultInjection(delay: FaultInjection.Delay(percentage: 100, fixedDelay: .milliseconds(60)))
        let (delayed, callee2) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(extensions: ResiliencyExtensions(faults: ["slow": delay]), names: PolicyNames(fault: "slow"))
        )
        let start = ContinuousClock.now
        #expect(try await delayed.invoke(appID: "flaky", method: "work", httpMethod: .get).status == .ok)
        #expect(ContinuousClock.now - start >= .milliseconds(60))

        // The fault sits inside the attempt timeout: a delay longer than the timeout times out.
        let (bounded, callee3) = try await meshCallingFlakyApp(
            script,
            resiliency: resiliency(
                timeout: .milliseconds(20),
                extensions: ResiliencyExtensions(faults: ["slow": FaultInjection(delay: .init(percentage: 100, fixedDelay: .seconds(10)))]),
                names: PolicyNames(fault: "slow")
            )
        )
        await #expect { try await bounded.invoke(appID: "flaky", method: "work", httpMethod: .get) } throws: { isMeshError($0, .timeout) }
        _ = (callee, callee2, callee3)
    }
}

/// Holds what a handler saw.
final class RemainingDeadline: Sendable {
    private let stored = Mutex<Duration?>(nil)
    var value: Duration? { stored.withLock { $0 } }
    func set(_ value: Duration?) { stored.withLock { $0 = value } }
}
