/// The circuit breaker: an open breaker fails fast with ``MeshError/Code/circuitOpen``; each
/// attempt that passes counts as a success or a failure by the call's reading, and a cancelled
/// one counts neither way.
struct CircuitBreakerFilter: CallFilter {
    let breaker: CircuitBreaker

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        let permit = try breaker.acquire()
        do {
            let result = try await next(call)
            breaker.record(permit, call.verdict(of: result) == .success ? .success : .failure)
            return result
        } catch {
            if error is CancellationError || Task.isCancelled {
                breaker.record(permit, .cancelled)
            } else {
                breaker.record(permit, error.isTransientFailure ? .failure : .success)
            }
            throw error
        }
    }
}

extension StackModule {
    static let circuitBreaker = StackModule(name: .circuitBreaker) { context in
        guard let policy = context.policies.circuitBreaker else { return nil }
        let metrics = context.metrics
        let logger = context.logger
        let breaker = CircuitBreaker(policy: policy, clock: context.clock) { from, to in
            metrics.record(breakerState: to)
            logger.notice("circuit breaker changed state", metadata: ["from": "\(from)", "to": "\(to)"])
        }
        metrics.record(breakerState: .closed)
        return CircuitBreakerFilter(breaker: breaker)
    }
}
