/// A token bucket: a call over the rate fails at once with ``MeshError/Code/tooManyRequests``.
struct RateLimitFilter: CallFilter {
    let bucket: TokenBucket

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard bucket.tryAcquire() else {
            throw MeshError(.tooManyRequests, "the rate limit of \(call.target) is exceeded")
        }
        return try await next(call)
    }
}

extension StackModule {
    static let rateLimit = StackModule(name: .rateLimit) { context in
        context.policies.rateLimit.map { policy in
            RateLimitFilter(bucket: TokenBucket(ratePerSecond: policy.requestsPerSecond, burst: policy.burst, clock: context.clock))
        }
    }
}
