import Logging
import ServiceLifecycle
import Tracing

/// The one pipeline every call of a target runs through, built once per target from its policies
/// and reused for every call.
///
/// Nesting, from the outside in:
///
/// ```
/// rate limit → concurrency limit → deadline → [ retry + budget → breaker → attempt timeout → fault → call ]
/// ```
///
/// which is Dapr's retry(breaker(timeout)) with a deadline around it. Rejections by the rate or
/// concurrency limit are immediate (``MeshError/Code/tooManyRequests``); an open breaker fails
/// fast (``MeshError/Code/circuitOpen``) and stops the retries; the deadline bounds every attempt
/// and every wait between attempts.
///
/// A class, so that handing the pipeline to each call costs one reference count, not one per policy.
final class CallPipeline: Sendable {
    let target: PolicyTarget
    let retry: RetryPolicy?
    let attemptTimeout: Duration?
    let deadline: Duration?
    let breaker: CircuitBreaker?
    let budget: RetryBudget?
    let concurrencyLimiter: ConcurrencyLimiter?
    let rateLimiter: TokenBucket?
    let fault: FaultInjection?
    let metrics: PipelineMetrics
    let logger: Logger
    /// Cancels attempts at their timeout or the deadline.
    let timer: AttemptTimer
    /// Whether calls may skip the attempt machinery entirely.
    private let isPassThrough: Bool

    init(
        target: PolicyTarget,
        retry: RetryPolicy?,
        attemptTimeout: Duration?,
        deadline: Duration?,
        breaker: CircuitBreaker?,
        budget: RetryBudget?,
        concurrencyLimiter: ConcurrencyLimiter?,
        rateLimiter: TokenBucket?,
        fault: FaultInjection?,
        metrics: PipelineMetrics,
        logger: Logger,
        timer: AttemptTimer
    ) {
        self.target = target
        self.retry = retry
        self.attemptTimeout = attemptTimeout
        self.deadline = deadline
        self.breaker = breaker
        self.budget = budget
        self.concurrencyLimiter = concurrencyLimiter
        self.rateLimiter = rateLimiter
        self.fault = fault
        self.metrics = metrics
        self.logger = logger
        self.timer = timer
        self.isPassThrough = retry == nil && attemptTimeout == nil && breaker == nil && fault == nil
    }

    /// Runs `call` under the target's policies.
    ///
    /// - Parameters:
    ///   - idempotent: whether a call whose request may have been sent can be retried.
    ///   - verdict: how a returned result reads (an HTTP 503 is a returned failure).
    ///   - aborted: the result an injected abort with this HTTP status produces; `nil` throws
    ///     ``MeshError/Code/faultInjected`` instead.
    func execute<Result: Sendable>(
        idempotent: Bool = true,
        verdict: (Result) -> AttemptVerdict = { _ in .success },
        aborted: @Sendable (Int) -> Result? = { _ in nil },
        _ call: @Sendable () async throws -> Result
    ) async throws -> Result {
        if let rateLimiter, !rateLimiter.tryAcquire() {
            metrics.failures.increment()
            throw MeshError(.tooManyRequests, "the rate limit of \(target) is exceeded")
        }
        if let concurrencyLimiter {
            guard concurrencyLimiter.tryAcquire() else {
                metrics.failures.increment()
                throw MeshError(.tooManyRequests, "the concurrency limit of \(target) is reached")
            }
        }
        defer { concurrencyLimiter?.release() }
        let start = ContinuousClock.now
        do {
            let result: Result
            if let callDeadline = MeshDeadline.tightened(by: deadline, now: start), callDeadline != MeshDeadline.current {
                result = try await MeshDeadline.$current.withValue(callDeadline) {
                    try await attempts(idempotent: idempotent, verdict: verdict, aborted: aborted, call)
                }
            } else {
                result = try await attempts(idempotent: idempotent, verdict: verdict, aborted: aborted, call)
            }
            metrics.record(durationSince: start)
            if case .failure = verdict(result) { metrics.failures.increment() } else { metrics.successes.increment() }
            return result
        } catch {
            metrics.record(durationSince: start)
            metrics.failures.increment()
            throw error
        }
    }

    private func attempts<Result: Sendable>(
        idempotent: Bool,
        verdict: (Result) -> AttemptVerdict,
        aborted: @Sendable (Int) -> Result?,
        _ call: @Sendable () async throws -> Result
    ) async throws -> Result {
        if isPassThrough, MeshDeadline.current == nil {
            return try await call()
        }
        budget?.recordRequest()
        var attempt = 0
        var lastAnswer: Result?
        while true {
            attempt += 1
            let outcome = await self.attempt(number: attempt, verdict: verdict, aborted: aborted, call)
            switch outcome {
            case .returned(let result, .success):
                return result
            case .returned(let result, .failure(let retryAfter)):
                guard mayRetry(after: attempt, requestSent: true, idempotent: idempotent) else { return result }
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
                guard error.isTransientFailure,
                    mayRetry(after: attempt, requestSent: !error.requestWasNotSent, idempotent: idempotent)
                else { throw error }
                do {
                    try await wait(beforeRetry: attempt, retryAfter: nil)
                } catch is DeadlineReached {
                    throw MeshError(.deadlineExceeded, "the deadline of \(target) passed after \(attempt) attempts", underlying: error)
                }
            }
            metrics.retries.increment()
        }
    }

    private enum AttemptOutcome<Result: Sendable> {
        case returned(Result, AttemptVerdict)
        case threw(any Error)
    }

    /// One attempt: breaker permit, attempt timeout, fault injection, the call.
    private func attempt<Result: Sendable>(
        number: Int,
        verdict: (Result) -> AttemptVerdict,
        aborted: @Sendable (Int) -> Result?,
        _ call: @Sendable () async throws -> Result
    ) async -> AttemptOutcome<Result> {
        let permit: CircuitBreaker.Permit?
        do {
            permit = try breaker?.acquire()
        } catch {
            return .threw(error)
        }
        do {
            let result = try await withSpan("attempt \(number)", ofKind: .internal) { _ in
                try await withAttemptTimeout { try await faulted(aborted: aborted, call) }
            }
            let reading = verdict(result)
            if let permit { breaker?.record(permit, reading == .success ? .success : .failure) }
            return .returned(result, reading)
        } catch {
            if let permit {
                if error is CancellationError || Task.isCancelled {
                    breaker?.record(permit, .cancelled)
                } else {
                    breaker?.record(permit, error.isTransientFailure ? .failure : .success)
                }
            }
            return .threw(error)
        }
    }

    /// Whether another attempt may follow attempt number `attempt`.
    private func mayRetry(after attempt: Int, requestSent: Bool, idempotent: Bool) -> Bool {
        guard let retry, retry.allowsRetry(afterAttempt: attempt), idempotent || !requestSent else { return false }
        if let budget, !budget.tryWithdraw() {
            metrics.budgetExhausted.increment()
            logger.debug("the retry budget is exhausted; not retrying", metadata: ["target": "\(target)"])
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
        guard let retry else { return }
        var interval = retry.jitteredInterval(beforeRetry: attempt)
        if let retryAfter {
            let allowed = MeshDeadline.current == nil ? min(retryAfter, retry.maxInterval) : retryAfter
            interval = max(interval, allowed)
        }
        if let remaining = MeshDeadline.remaining(), remaining <= interval {
            throw DeadlineReached()
        }
        let pause = interval
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
    }

    /// Runs `body` cancelled at the attempt timeout or the deadline, whichever comes first.
    private func withAttemptTimeout<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        let remaining = MeshDeadline.remaining()
        let limit: Duration
        switch (attemptTimeout, remaining) {
        case (nil, nil): return try await body()
        case (let timeout?, nil): limit = timeout
        case (nil, let remaining?): limit = remaining
        case (let timeout?, let remaining?): limit = min(timeout, remaining)
        }
        guard limit > .zero else {
            throw MeshError(.deadlineExceeded, "the deadline of \(target) passed before the attempt")
        }
        if let result = try await timer.run(until: .now + limit, body) {
            return result
        }
        let isDeadline = attemptTimeout.map { limit < $0 } ?? true
        throw MeshError(
            isDeadline ? .deadlineExceeded : .timeout,
            isDeadline ? "the deadline of \(target) passed during the attempt" : "an attempt on \(target) timed out after \(limit)"
        )
    }

    /// Applies fault injection around the call.
    private func faulted<Result: Sendable>(aborted: @Sendable (Int) -> Result?, _ call: @Sendable () async throws -> Result) async throws
        -> Result
    {
        guard let fault else { return try await call() }
        var generator = SystemRandomNumberGenerator()
        let decision = fault.decide(using: &generator)
        if let delay = decision.delay {
            try await Task.sleep(for: delay)
        }
        if let status = decision.abortStatus {
            if let result = aborted(status) { return result }
            throw MeshError(.faultInjected, "fault injection aborted the call to \(target) with status \(status)")
        }
        return try await call()
    }
}

extension RetryPolicy {
    /// The wait before retry number `retry`, with ±`randomizationFactor` jitter for exponential
    /// backoff (Dapr's defaults: 0.5).
    func jitteredInterval(beforeRetry retry: Int) -> Duration {
        let base = interval(beforeRetry: retry)
        guard case .exponential(_, _, _, let factor) = backoff, factor > 0 else { return base }
        let spread = base.inSeconds * factor
        let seconds = Double.random(in: (base.inSeconds - spread)...(base.inSeconds + spread))
        return .clampedSeconds(seconds)
    }
}
