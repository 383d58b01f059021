import MeshKit
import Synchronization
import Testing

@Suite("Policies: CircuitBreaker")
struct CircuitBreakerTests {
    let time = TestMonotonicClock()

    func makeBreaker(
        maxRequests: Int = 1,
        interval: Duration = .zero,
        timeout: Duration = .seconds(30),
        trip: String = "consecutiveFailures >= 3",
        onStateChange: (@Sendable (CircuitBreaker.State, CircuitBreaker.State) -> Void)? = nil
    ) throws -> CircuitBreaker {
        let policy = try CircuitBreakerPolicy(maxRequests: maxRequests, interval: interval, timeout: timeout, trip: trip)
        return CircuitBreaker(policy: policy, clock: time.clock, onStateChange: onStateChange)
    }

    func fail(_ breaker: CircuitBreaker, times: Int) throws {
        for _ in 0..<times {
            breaker.record(try breaker.acquire(), .failure)
        }
    }

    func expectCircuitOpen(_ breaker: CircuitBreaker, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: MeshError(.circuitOpen, ""), sourceLocation: sourceLocation) { try breaker.acquire() }
    }

    @Test func startsClosedAndCountsCalls() throws {
        let breaker = try makeBreaker()
        #expect(breaker.state == .closed)
        breaker.record(try breaker.acquire(), .success)
        breaker.record(try breaker.acquire(), .success)
        breaker.record(try breaker.acquire(), .failure)
        #expect(
            breaker.counts
                == CircuitBreakerCounts(
                    requests: 3,
                    totalSuccesses: 2,
                    totalFailures: 1,
                    consecutiveSuccesses: 0,
                    consecutiveFailures: 1
                )
        )
    }

    @Test func tripsExactlyWhenTheExpressionHolds() throws {
        let breaker = try makeBreaker(trip: "consecutiveFailures >= 3")
        try fail(breaker, times: 2)
        #expect(breaker.state == .closed)
        breaker.record(try breaker.acquire(), .success)
        try fail(breaker, times: 2)
        #expect(breaker.state == .closed)
        try fail(breaker, times: 1)
        #expect(breaker.state == .open)
        #expect(breaker.counts == CircuitBreakerCounts())
    }

    @Test func tripsOnTotalsToo() throws {
        let breaker = try makeBreaker(trip: "requests >= 4 && totalFailures > 1")
        try fail(breaker, times: 1)
        breaker.record(try breaker.acquire(), .success)
        try fail(breaker, times: 1)
        #expect(breaker.state == .closed)
        try fail(breaker, times: 1)
        #expect(breaker.state == .open)
    }

    @Test func openFailsFastUntilTheTimeout() throws {
        let breaker = try makeBreaker(timeout: .seconds(30))
        try fail(breaker, times: 3)
        expectCircuitOpen(breaker)
        time.advance(by: .seconds(29))
        expectCircuitOpen(breaker)
        #expect(breaker.state == .open)
        time.advance(by: .seconds(1))
        #expect(breaker.state == .halfOpen)
        let permit = try breaker.acquire()
        #expect(permit.isHalfOpen)
    }

    @Test func halfOpenAdmitsExactlyMaxRequests() throws {
        let breaker = try makeBreaker(maxRequests: 3)
        try fail(breaker, times: 3)
        time.advance(by: .seconds(30))
        let permits = try (0..<3).map { _ in try breaker.acquire() }
        #expect(permits.allSatisfy { $0.isHalfOpen })
        #expect(throws: MeshError(.circuitOpen, "")) { try breaker.acquire() }
        #expect(breaker.state == .halfOpen)
    }

    @Test func closesAfterMaxRequestsSuccesses() throws {
        let breaker = try makeBreaker(maxRequests: 2)
        try fail(breaker, times: 3)
        time.advance(by: .seconds(30))
        let first = try breaker.acquire()
        let second = try breaker.acquire()
        breaker.record(first, .success)
        #expect(breaker.state == .halfOpen)
        breaker.record(second, .success)
        #expect(breaker.state == .closed)
        #expect(breaker.counts == CircuitBreakerCounts())
        let permit = try breaker.acquire()
        #expect(!permit.isHalfOpen)
    }

    @Test func reopensOnAHalfOpenFailure() throws {
        let breaker = try makeBreaker(maxRequests: 2)
        try fail(breaker, times: 3)
        time.advance(by: .seconds(30))
        let first = try breaker.acquire()
        let second = try breaker.acquire()
        breaker.record(first, .success)
        breaker.record(second, .failure)
        #expect(breaker.state == .open)
        expectCircuitOpen(breaker)
        time.advance(by: .seconds(29))
        expectCircuitOpen(breaker)
        time.advance(by: .seconds(1))
        #expect(breaker.state == .halfOpen)
    }

    @Test func cancelledPermitsAreGivenBack() throws {
        let breaker = try makeBreaker(maxRequests: 1)
        try fail(breaker, times: 3)
        time.advance(by: .seconds(30))
        for _ in 0..<5 {
            let permit = try breaker.acquire()
            expectCircuitOpen(breaker)
            breaker.record(permit, .cancelled)
            #expect(breaker.state == .halfOpen)
        }
        #expect(breaker.counts.totalSuccesses == 0)
        #expect(breaker.counts.totalFailures == 0)
        breaker.record(try breaker.acquire(), .success)
        #expect(breaker.state == .closed)
    }

    @Test func cancelledCountsNothingWhileClosed() throws {
        let breaker = try makeBreaker()
        try fail(breaker, times: 2)
        breaker.record(try breaker.acquire(), .cancelled)
        #expect(breaker.counts.consecutiveFailures == 2)
        #expect(breaker.counts.totalSuccesses == 0)
        try fail(breaker, times: 1)
        #expect(breaker.state == .open)
    }

    @Test func staleGenerationResultsAreIgnored() throws {
        let breaker = try makeBreaker(maxRequests: 1)
        let stale = try breaker.acquire()
        try fail(breaker, times: 3)
        #expect(breaker.state == .open)
        time.advance(by: .seconds(30))
        let probe = try breaker.acquire()
        // A success from before the breaker opened must not close it, nor free the probe's slot.
        breaker.record(stale, .success)
        #expect(breaker.state == .halfOpen)
        expectCircuitOpen(breaker)
        breaker.record(probe, .success)
        #expect(breaker.state == .closed)
        // A failure from the old half-open generation must not count in the new closed one.
        breaker.record(probe, .failure)
        #expect(breaker.counts == CircuitBreakerCounts())
    }

    @Test func intervalClearsCountsCyclically() throws {
        let breaker = try makeBreaker(interval: .seconds(10), trip: "consecutiveFailures >= 3")
        try fail(breaker, times: 2)
        time.advance(by: .seconds(9))
        #expect(breaker.counts.consecutiveFailures == 2)
        let inFlight = try breaker.acquire()
        time.advance(by: .seconds(1))
        #expect(breaker.counts == CircuitBreakerCounts())
        breaker.record(inFlight, .failure)  // from the previous interval: ignored
        try fail(breaker, times: 2)
        #expect(breaker.state == .closed)
        // Cyclic from the generation start: the next clear is at 20s, not 10s after the last read.
        time.advance(by: .seconds(5))
        #expect(breaker.counts.consecutiveFailures == 2)
        time.advance(by: .seconds(5))
        #expect(breaker.counts == CircuitBreakerCounts())
        // A long idle period skips whole intervals.
        try fail(breaker, times: 1)
        time.advance(by: .seconds(95))
        #expect(breaker.counts == CircuitBreakerCounts())
        try fail(breaker, times: 2)
        time.advance(by: .seconds(4))
        #expect(breaker.counts.consecutiveFailures == 2)
        time.advance(by: .seconds(1))
        #expect(breaker.counts == CircuitBreakerCounts())
    }

    @Test func zeroIntervalNeverClears() throws {
        let breaker = try makeBreaker(interval: .zero)
        try fail(breaker, times: 2)
        time.advance(by: .seconds(86_400))
        #expect(breaker.counts.consecutiveFailures == 2)
    }

    @Test func onStateChangeReportsEveryTransition() throws {
        let transitions = Mutex<[String]>([])
        let breaker = try makeBreaker(maxRequests: 1) { from, to in
            transitions.withLock { $0.append("\(from)->\(to)") }
        }
        try fail(breaker, times: 3)
        time.advance(by: .seconds(30))
        breaker.record(try breaker.acquire(), .failure)
        time.advance(by: .seconds(30))
        #expect(breaker.state == .halfOpen)
        breaker.record(try breaker.acquire(), .success)
        #expect(
            transitions.withLock { $0 } == [
                "closed->open", "open->halfOpen", "halfOpen->open", "open->halfOpen", "halfOpen->closed",
            ]
        )
    }

    @Test func halfOpenNeverStuckUnderConcurrentCancellation() async throws {
        let breaker = try makeBreaker(maxRequests: 2)
        try fail(breaker, times: 3)
        time.advance(by: .seconds(30))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask {
                    if let permit = try? breaker.acquire() {
                        breaker.record(permit, .cancelled)
                    }
                }
            }
        }
        #expect(breaker.state == .halfOpen)
        let first = try breaker.acquire()
        let second = try breaker.acquire()
        breaker.record(first, .success)
        breaker.record(second, .success)
        #expect(breaker.state == .closed)
    }
}
