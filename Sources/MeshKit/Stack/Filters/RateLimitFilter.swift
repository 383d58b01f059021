/// A token bucket: a call over the rate fails at once with ``MeshError/Code/tooManyRequests``.
final class RateLimitFilter: SynchronousCallFilter {
    let bucket: TokenBucket

    init(bucket: TokenBucket) {
        self.bucket = bucket
    }

    func enter<Result: Sendable>(_ call: MeshCall<Result>) throws -> FilterTicket {
        guard bucket.tryAcquire() else {
            throw MeshError(.tooManyRequests, "the rate limit of \(call.target) is exceeded")
        }
        return .none
    }
}

extension StackModule {
    static let rateLimit = StackModule(name: .rateLimit) { context in
        context.policies.rateLimit.map { policy in
            RateLimitFilter(bucket: TokenBucket(ratePerSecond: policy.requestsPerSecond, burst: policy.burst, clock: context.clock))
        }
    }
}
