/// A bulkhead: past the most calls in flight, a call fails at once with
/// ``MeshError/Code/tooManyRequests``.
final class ConcurrencyLimitFilter: SynchronousCallFilter {
    let limiter: ConcurrencyLimiter

    init(limiter: ConcurrencyLimiter) {
        self.limiter = limiter
    }

    func enter<Result: Sendable>(_ call: MeshCall<Result>) throws -> FilterTicket {
        guard limiter.tryAcquire() else {
            throw MeshError(.tooManyRequests, "the concurrency limit of \(call.target) is reached")
        }
        return .none
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: Result) {
        limiter.release()
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {
        limiter.release()
    }
}

extension StackModule {
    static let concurrencyLimit = StackModule(name: .concurrencyLimit) { context in
        context.policies.concurrencyLimit.map { ConcurrencyLimitFilter(limiter: ConcurrencyLimiter(maxConcurrent: $0)) }
    }
}
