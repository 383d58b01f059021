/// A bulkhead: past the most calls in flight, a call fails at once with
/// ``MeshError/Code/tooManyRequests``.
struct ConcurrencyLimitFilter: CallFilter {
    let limiter: ConcurrencyLimiter

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard limiter.tryAcquire() else {
            throw MeshError(.tooManyRequests, "the concurrency limit of \(call.target) is reached")
        }
        defer { limiter.release() }
        return try await next(call)
    }
}

extension StackModule {
    static let concurrencyLimit = StackModule(name: .concurrencyLimit) { context in
        context.policies.concurrencyLimit.map { ConcurrencyLimitFilter(limiter: ConcurrencyLimiter(maxConcurrent: $0)) }
    }
}
