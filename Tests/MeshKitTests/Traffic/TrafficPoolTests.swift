import Testing

@testable import MeshKit

@Suite("Traffic connection pool limits: waiting, overflow, cancellation, retries")
struct TrafficPoolTests {
    /// Yields until `condition` holds: waits for another task to reach a state, not for time.
    static func until(_ condition: () -> Bool) async {
        while !condition() { await Task.yield() }
    }

    static func isTooManyRequests(_ error: any Error) -> Bool {
        (error as? MeshError)?.code == .tooManyRequests
    }

    @Test("HTTP/1.1: past maxConnections calls wait; past the pending limit they fail at once")
    func overflow() async throws {
        let limiter = ConnectionPoolLimiter(policy: ConnectionPoolPolicy(maxConnections: 1, http1MaxPendingRequests: 1))
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        await Self.until { limiter.pending == 1 }
        await #expect(throws: MeshError(.tooManyRequests, "")) { try await limiter.acquire() }
        limiter.release()
        try await waiter.value
        #expect(limiter.inFlight == 1, "the freed right went to the waiter")
        #expect(limiter.pending == 0)
        limiter.release()
        #expect(limiter.inFlight == 0)
    }

    @Test("waiters proceed in arrival order as rights free")
    func fifo() async throws {
        let limiter = ConnectionPoolLimiter(policy: ConnectionPoolPolicy(maxConnections: 1))
        try await limiter.acquire()
        let first = Task { try await limiter.acquire() }
        await Self.until { limiter.pending == 1 }
        let second = Task { try await limiter.acquire() }
        await Self.until { limiter.pending == 2 }
        limiter.release()
        try await first.value
        #expect(limiter.pending == 1)
        limiter.release()
        try await second.value
        #expect(limiter.pending == 0)
        limiter.release()
        #expect(limiter.inFlight == 0)
    }

    @Test("a cancelled waiter leaves the queue at once and no right is lost")
    func cancellation() async throws {
        let limiter = ConnectionPoolLimiter(policy: ConnectionPoolPolicy(maxConnections: 1, http1MaxPendingRequests: 1))
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        await Self.until { limiter.pending == 1 }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(limiter.pending == 0)
        // The queue has room again, and the right in flight is still the only one.
        let next = Task { try await limiter.acquire() }
        await Self.until { limiter.pending == 1 }
        limiter.release()
        try await next.value
        limiter.release()
        #expect(limiter.inFlight == 0)
        try await limiter.acquire()
        limiter.release()
    }

    @Test("HTTP/2: http2MaxRequests calls in flight, the next fails at once")
    func http2() async throws {
        let limiter = ConnectionPoolLimiter(
            policy: ConnectionPoolPolicy(maxConnections: 1, http2MaxRequests: 2, h2UpgradePolicy: .upgrade)
        )
        try await limiter.acquire()
        try await limiter.acquire()
        await #expect(throws: MeshError(.tooManyRequests, "")) { try await limiter.acquire() }
        #expect(limiter.pending == 0)
        limiter.release()
        try await limiter.acquire()
    }

    @Test("http2MaxRequests also caps HTTP/1.1 calls in flight or waiting")
    func maxRequestsOverHTTP1() async throws {
        let limiter = ConnectionPoolLimiter(policy: ConnectionPoolPolicy(maxConnections: 1, http2MaxRequests: 2))
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        await Self.until { limiter.pending == 1 }
        await #expect(throws: MeshError(.tooManyRequests, "")) { try await limiter.acquire() }
        limiter.release()
        try await waiter.value
    }

    @Test("maxRetries caps retries in flight and fails fast")
    func retries() {
        let limiter = ConnectionPoolLimiter(policy: ConnectionPoolPolicy(maxRetries: 1))
        #expect(limiter.tryAcquireRetry())
        #expect(!limiter.tryAcquireRetry())
        limiter.releaseRetry()
        #expect(limiter.tryAcquireRetry())
        let unlimited = ConnectionPoolLimiter(policy: ConnectionPoolPolicy())
        #expect((0..<1_000).allSatisfy { _ in unlimited.tryAcquireRetry() })
    }

    @Test("without limits every call goes at once and nothing is counted")
    func unlimited() async throws {
        let limiter = ConnectionPoolLimiter(policy: ConnectionPoolPolicy(connectTimeout: .seconds(1)))
        for _ in 0..<1_000 { try await limiter.acquire() }
        #expect(limiter.inFlight == 0)
        limiter.release()
    }
}
