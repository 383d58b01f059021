import Logging
import ServiceLifecycle
import Tracing

/// Retries with the policy's backoff, bounded by the retry budget and the call's deadline.
///
/// A returned failure (a 503, a ``TopicEventResponse/retry``) is retried and, when no retry
/// follows, returned as it is; a thrown transient error is retried and otherwise thrown. A call
/// whose request may have reached the peer is retried only when it is idempotent. Each attempt of a
/// traced call is a span (``AttemptSpan``). When a balancer sits below, each retry prefers an
/// endpoint no earlier attempt used.
///
/// The retries of a VirtualService route follow Envoy instead: `retryOn` alone decides which
/// answers and failures are retried, whatever the HTTP method (see ``RetryOn``).
final class RetryFilter: RetryingCallFilter {
    let policy: RetryPolicy
    let budget: RetryBudget?
    let metrics: PipelineMetrics
    let logger: Logger
    /// Envoy's conditions, for a VirtualService route's retries.
    let retryOn: RetryOn?
    /// Whether the stack picks endpoints below this filter, so attempts remember theirs.
    let remembersEndpoints: Bool

    init(policy: RetryPolicy, budget: RetryBudget?, metrics: PipelineMetrics, logger: Logger, retryOn: RetryOn?, remembersEndpoints: Bool) {
        self.policy = policy
        self.budget = budget
        self.metrics = metrics
        self.logger = logger
        self.retryOn = retryOn
        self.remembersEndpoints = remembersEndpoints
    }

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        var call = call
        begin(&call)
        let result: Result
        do {
            result = try await attempt(call, next)
        } catch {
            return try await retry(call, afterThrowing: error, next: next)
        }
        return try await retry(call, afterReturning: result, next: next)
    }

    func beginFirstAttempt<Result: Sendable>(_ call: inout MeshCall<Result>) -> Bool {
        guard call.trace == nil else { return false }
        begin(&call)
        return true
    }

    func accepts<Result: Sendable>(_ result: Result, of call: MeshCall<Result>) -> Bool {
        if case .success = verdict(of: result, in: call) { true } else { false }
    }

    /// Returns `result` when it stands; otherwise retries.
    func retry<Result: Sendable>(
        _ call: MeshCall<Result>,
        afterReturning result: Result,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard case .failure(let retryAfter) = verdict(of: result, in: call) else { return result }
        return try await retry(call, after: .answered(result, retryAfter: retryAfter), next)
    }

    func retry<Result: Sendable>(
        _ call: MeshCall<Result>,
        afterThrowing error: any Error,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        try await retry(call, after: .threw(error), next)
    }

    /// Counts the call in the budget and, when a balancer sits below, gives it the history its
    /// attempts remember their endpoints in.
    private func begin<Result: Sendable>(_ call: inout MeshCall<Result>) {
        budget?.recordRequest()
        if remembersEndpoints && call.history == nil { call.history = AttemptHistory() }
    }

    /// How an attempt failed.
    private enum Failure<Result: Sendable> {
        /// It returned a failure (a 503, a ``TopicEventResponse/retry``), with the peer's
        /// `Retry-After`, if any.
        case answered(Result, retryAfter: Duration?)
        case threw(any Error)
    }

    /// After the attempt that failed with `failure`, makes the next ones while the policy, the
    /// budget and the deadline allow, and returns the first success or the last failure.
    private func retry<Result: Sendable>(
        _ call: MeshCall<Result>,
        after failure: Failure<Result>,
        _ next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        var call = call
        var failure = failure
        var lastAnswer: Result?
        while true {
            let attempt = call.attempt
            switch failure {
            case .answered(let result, let retryAfter):
                guard mayRetry(call, requestSent: true) else { return result }
                lastAnswer = result
                do {
                    try await wait(beforeRetry: attempt, retryAfter: retryAfter)
                } catch {
                    // The deadline would pass, or the wait was cancelled: the last answer stands.
                    return result
                }
            case .threw(let error):
                // A retry cut short by the deadline returns the answer it was retrying.
                if let lastAnswer, (error as? MeshError)?.code == .deadlineExceeded { return lastAnswer }
                // A retry the pool refused (Envoy's retry overflow) leaves the last answer standing.
                if let lastAnswer, (error as? MeshError)?.code == .tooManyRequests { return lastAnswer }
                guard isRetriable(error), mayRetry(call, requestSent: !error.requestWasNotSent) else { throw error }
                do {
                    try await wait(beforeRetry: attempt, retryAfter: nil)
                } catch is DeadlineReached {
                    throw MeshError(
                        .deadlineExceeded,
                        "the deadline of \(call.target) passed after \(attempt) attempts",
                        underlying: error
                    )
                }
            }
            metrics.retries.increment()
            call.attempt += 1
            do {
                let result = try await self.attempt(call, next)
                guard case .failure(let retryAfter) = verdict(of: result, in: call) else { return result }
                failure = .answered(result, retryAfter: retryAfter)
            } catch {
                failure = .threw(error)
            }
        }
    }

    /// Makes one attempt: a span of its own when the call is traced, else straight on.
    @inline(__always)
    private func attempt<Result: Sendable>(
        _ call: MeshCall<Result>,
        _ next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        try await call.trace == nil ? next(call) : AttemptSpan.run(call, next)
    }

    private func verdict<Result>(of result: Result, in call: MeshCall<Result>) -> AttemptVerdict {
        guard let retryOn, let status = call.reading.status(result) else { return call.verdict(of: result) }
        return retryOn.retries(status: status) ? .failure(retryAfter: nil) : .success
    }

    private func isRetriable(_ error: any Error) -> Bool {
        guard let retryOn else { return error.isTransientFailure }
        if error is CancellationError, Task.isCancelled { return false }
        guard let code = (error as? MeshError)?.code else { return false }
        return retryOn.retries(failure: code)
    }

    /// Whether another attempt may follow the call's current one.
    private func mayRetry<Result>(_ call: MeshCall<Result>, requestSent: Bool) -> Bool {
        guard policy.allowsRetry(afterAttempt: call.attempt), retryOn != nil || call.isIdempotent || !requestSent else { return false }
        if let budget, !budget.tryWithdraw() {
            metrics.budgetExhausted.increment()
            logger.debug("the retry budget is exhausted; not retrying", metadata: ["target": "\(call.target)"])
            return false
        }
        return !Task.isCancelled
    }

    private struct DeadlineReached: Error {}

    /// Sleeps before the next attempt: the policy's backoff with jitter, and at least the peer's
    /// `retryAfter`. Without a deadline, `retryAfter` is capped at the policy's
    /// ``RetryPolicy/maxInterval``; with one, the deadline alone bounds it. Throws
    /// ``DeadlineReached`` when the deadline would pass first, and stops early on cancellation or
    /// a graceful shutdown.
    private func wait(beforeRetry attempt: Int, retryAfter: Duration?) async throws {
        var interval = policy.jitteredInterval(beforeRetry: attempt)
        if let retryAfter {
            let allowed = MeshDeadline.current == nil ? min(retryAfter, policy.maxInterval) : retryAfter
            interval = max(interval, allowed)
        }
        if let remaining = MeshDeadline.remaining(), remaining <= interval {
            throw DeadlineReached()
        }
        let pause = interval
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
    }
}

extension StackModule {
    static let retry = StackModule(name: .retry) { context in
        guard let policy = context.policies.retry else { return nil }
        return RetryFilter(
            policy: policy,
            budget: context.policies.retryBudget.map { RetryBudget($0, clock: context.clock) },
            metrics: context.metrics,
            logger: context.logger,
            retryOn: context.policies.retryOn,
            remembersEndpoints: context.routing?.transport != nil
        )
    }
}

extension RetryPolicy {
    /// The wait before retry number `retry`, with ±`randomizationFactor` jitter for exponential
    /// backoff (Dapr's defaults: 0.5).
    func jitteredInterval(beforeRetry retry: Int) -> Duration {
        let base = interval(beforeRetry: retry)
        guard case .exponential(_, _, _, let factor) = backoff, factor > 0 else { return base }
        let spread = base.inSeconds * factor
        var generator = FastRandom.Generator()
        let seconds = Double.random(in: (base.inSeconds - spread)...(base.inSeconds + spread), using: &generator)
        return .clampedSeconds(seconds)
    }
}
