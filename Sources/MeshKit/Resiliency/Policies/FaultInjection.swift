/// Faults to inject into calls for testing resilience, mirroring Istio's `HTTPFaultInjection`:
/// a delay before the call, an abort instead of it, or both, each for a percentage of calls.
public struct FaultInjection: Sendable, Hashable {
    /// Delays a percentage of calls by a fixed time.
    public struct Delay: Sendable, Hashable {
        /// The percentage of calls delayed, from 0 to 100.
        public var percentage: Double
        /// How long a delayed call waits before being made.
        public var fixedDelay: Duration

        /// Creates a delay; as in Istio, without a percentage every call is delayed.
        public init(percentage: Double = 100, fixedDelay: Duration) {
            self.percentage = percentage
            self.fixedDelay = fixedDelay
        }
    }

    /// Aborts a percentage of calls with an HTTP status instead of making them.
    public struct Abort: Sendable, Hashable {
        /// The percentage of calls aborted, from 0 to 100.
        public var percentage: Double
        /// The HTTP status an aborted call answers with.
        public var httpStatus: Int

        /// Creates an abort; as in Istio, without a percentage every call is aborted.
        public init(percentage: Double = 100, httpStatus: Int) {
            self.percentage = percentage
            self.httpStatus = httpStatus
        }
    }

    /// What to do to one call, as rolled by ``FaultInjection/decide(using:)``.
    public struct Decision: Sendable, Hashable {
        /// How long to wait before the call, or `nil` for no delay.
        public var delay: Duration?
        /// The HTTP status to abort the call with, or `nil` to make it.
        public var abortStatus: Int?

        /// Creates a decision; the default injects nothing.
        public init(delay: Duration? = nil, abortStatus: Int? = nil) {
            self.delay = delay
            self.abortStatus = abortStatus
        }
    }

    /// The delay to inject, if any.
    public var delay: Delay?
    /// The abort to inject, if any.
    public var abort: Abort?

    /// Creates a fault injection; the default injects nothing.
    public init(delay: Delay? = nil, abort: Abort? = nil) {
        self.delay = delay
        self.abort = abort
    }

    /// Rolls the delay and the abort independently for one call.
    ///
    /// Each applies when a uniform number in `0..<100` drawn from `generator` is below its
    /// percentage, so 0 never applies and 100 always does. Nothing is drawn for a fault that is
    /// not configured.
    public func decide<R: RandomNumberGenerator>(using generator: inout R) -> Decision {
        var decision = Decision()
        if let delay, Double.random(in: 0..<100, using: &generator) < delay.percentage {
            decision.delay = delay.fixedDelay
        }
        if let abort, Double.random(in: 0..<100, using: &generator) < abort.percentage {
            decision.abortStatus = abort.httpStatus
        }
        return decision
    }

    /// Rolls the delay and the abort with a fast generator seeded from the system's (no system
    /// call per roll).
    public func decide() -> Decision {
        var generator = FastRandom.Generator()
        return decide(using: &generator)
    }
}
