import Synchronization

/// A circuit breaker with the semantics of sony/gobreaker, the breaker Dapr uses for its
/// `circuitBreakers` policies.
///
/// Closed, every call is let through and counted; when a failure makes the policy's trip
/// condition hold, the breaker opens. Open, calls fail fast with ``MeshError/Code/circuitOpen``
/// until the policy's `timeout` has passed, and then the breaker goes half-open. Half-open, at
/// most `maxRequests` probe calls are outstanding at once; `maxRequests` successes in a row close
/// the breaker and one failure opens it again.
///
/// Each state change starts a new *generation*: a result recorded with a permit from an older
/// generation is ignored. Closed, with a non-zero `interval`, the counts are cleared (and a new
/// generation started) every `interval` from the generation's start.
///
/// ```swift
/// let permit = try breaker.acquire()
/// do {
///     let response = try await call()
///     breaker.record(permit, .success)
///     return response
/// } catch is CancellationError {
///     breaker.record(permit, .cancelled)
///     throw error
/// } catch {
///     breaker.record(permit, .failure)
///     throw error
/// }
/// ```
public final class CircuitBreaker: Sendable {
    /// The state of a breaker.
    public enum State: Sendable, Hashable {
        /// Calls go through and are counted.
        case closed
        /// Calls fail fast until the policy's timeout has passed.
        case open
        /// A limited number of probe calls go through to decide whether to close again.
        case halfOpen
    }

    /// How a call that held a ``Permit`` ended.
    public enum Outcome: Sendable {
        /// The call succeeded.
        case success
        /// The call failed in a way that counts against the target.
        case failure
        /// The call was cancelled: it counts neither way, and a half-open permit is given back.
        case cancelled
    }

    /// The right to make one call, returned by ``acquire()`` and handed back to ``record(_:_:)``.
    public struct Permit: Sendable {
        /// The breaker generation the permit was taken in; results from older generations are ignored.
        public let generation: UInt64
        /// Whether the permit was taken while half-open, as one of the probe calls.
        public let isHalfOpen: Bool
    }

    private let policy: CircuitBreakerPolicy
    private let settings: Settings
    private let clock: MonotonicClock
    private let onStateChange: (@Sendable (State, State) -> Void)?
    private let machine: Mutex<Machine>

    /// Creates a closed breaker.
    ///
    /// - Parameters:
    ///   - policy: The Dapr policy; as in gobreaker, a `maxRequests` below 1 means 1 and a
    ///     `timeout` of zero or less means 60 seconds.
    ///   - clock: The monotonic clock the interval and timeout are measured with.
    ///   - onStateChange: Called with the old and new state after each state change, outside the
    ///     breaker's lock, on the thread that caused the change.
    public init(
        policy: CircuitBreakerPolicy,
        clock: MonotonicClock = .system,
        onStateChange: (@Sendable (State, State) -> Void)? = nil
    ) {
        let settings = Settings(
            maxRequests: max(1, policy.maxRequests),
            interval: policy.interval > .zero ? policy.interval : nil,
            timeout: policy.timeout > .zero ? policy.timeout : .seconds(60)
        )
        self.policy = policy
        self.settings = settings
        self.clock = clock
        self.onStateChange = onStateChange
        self.machine = Mutex(Machine(expiry: settings.interval.map { clock.now() + $0 }))
    }

    /// The current state; reading it moves an open breaker whose timeout has passed to half-open.
    public var state: State {
        snapshot().state
    }

    /// The current counts, for tests and metrics.
    public var counts: CircuitBreakerCounts {
        snapshot().counts
    }

    /// Asks to make a call.
    ///
    /// - Returns: A permit to pass to ``record(_:_:)`` once the call has ended.
    /// - Throws: ``MeshError`` with code ``MeshError/Code/circuitOpen`` when the breaker is open,
    ///   or half-open with `maxRequests` probe calls already outstanding.
    public func acquire() throws(MeshError) -> Permit {
        let (admission, transition) = machine.withLock { machine -> (Admission, Transition?) in
            let transition = machine.advance(clock, settings)
            switch machine.state {
            case .closed:
                machine.counts.requests += 1
                return (.granted(Permit(generation: machine.generation, isHalfOpen: false)), transition)
            case .open:
                return (.open, transition)
            case .halfOpen:
                guard machine.outstanding < settings.maxRequests else { return (.halfOpenFull, transition) }
                machine.outstanding += 1
                machine.counts.requests += 1
                return (.granted(Permit(generation: machine.generation, isHalfOpen: true)), transition)
            }
        }
        notify(transition)
        switch admission {
        case .granted(let permit):
            return permit
        case .open:
            throw MeshError(.circuitOpen, "the circuit breaker is open")
        case .halfOpenFull:
            throw MeshError(.circuitOpen, "the circuit breaker is half-open: too many requests while half-open")
        }
    }

    /// Records how the call made with `permit` ended; results from an older generation are ignored.
    public func record(_ permit: Permit, _ outcome: Outcome) {
        let transition = machine.withLock { machine -> Transition? in
            let transition = machine.advance(clock, settings)
            guard machine.generation == permit.generation else { return transition }
            return machine.record(outcome, halfOpenPermit: permit.isHalfOpen, clock: clock, policy, settings)
        }
        notify(transition)
    }

    private func snapshot() -> (state: State, counts: CircuitBreakerCounts) {
        let (result, transition) = machine.withLock { machine in
            let transition = machine.advance(clock, settings)
            return ((machine.state, machine.counts), transition)
        }
        notify(transition)
        return result
    }

    private func notify(_ transition: Transition?) {
        if let transition, let onStateChange {
            onStateChange(transition.from, transition.to)
        }
    }
}

extension CircuitBreaker {
    private typealias Transition = (from: State, to: State)

    private enum Admission {
        case granted(Permit)
        case open
        case halfOpenFull
    }

    private struct Settings: Sendable {
        let maxRequests: Int
        let interval: Duration?
        let timeout: Duration
    }

    /// The mutable state, only touched under the lock.
    private struct Machine: Sendable {
        var state: State = .closed
        var generation: UInt64 = 0
        var counts = CircuitBreakerCounts()
        /// Closed: when the counts are next cleared (nil: never). Open: when it goes half-open.
        var expiry: Duration?
        /// Half-open: the probe permits handed out and not yet recorded.
        var outstanding = 0

        /// Applies the changes due to time: interval rollover while closed, half-open after the
        /// timeout. Reads the clock only when a change is scheduled, so a closed breaker without an
        /// `interval` costs no clock read.
        mutating func advance(_ clock: MonotonicClock, _ settings: Settings) -> Transition? {
            guard let expiry else { return nil }
            let now = clock.now()
            guard now >= expiry else { return nil }
            switch state {
            case .closed:
                guard let interval = settings.interval else { return nil }
                let periods = (now - expiry).attoseconds / interval.attoseconds + 1
                self.expiry = expiry + Duration(attoseconds: periods * interval.attoseconds)
                generation &+= 1
                counts = CircuitBreakerCounts()
                return nil
            case .open:
                enter(.halfOpen, now: now, settings)
                return (.open, .halfOpen)
            case .halfOpen:
                return nil
            }
        }

        /// Counts an outcome of the current generation and changes state when it is due.
        mutating func record(
            _ outcome: Outcome,
            halfOpenPermit: Bool,
            clock: MonotonicClock,
            _ policy: CircuitBreakerPolicy,
            _ settings: Settings
        ) -> Transition? {
            if state == .halfOpen && halfOpenPermit {
                outstanding -= 1
            }
            switch outcome {
            case .cancelled:
                return nil
            case .success:
                counts.totalSuccesses += 1
                counts.consecutiveSuccesses += 1
                counts.consecutiveFailures = 0
                if state == .halfOpen && counts.consecutiveSuccesses >= settings.maxRequests {
                    enter(.closed, now: clock.now(), settings)
                    return (.halfOpen, .closed)
                }
                return nil
            case .failure:
                counts.totalFailures += 1
                counts.consecutiveFailures += 1
                counts.consecutiveSuccesses = 0
                switch state {
                case .closed where policy.trips(counts):
                    enter(.open, now: clock.now(), settings)
                    return (.closed, .open)
                case .halfOpen:
                    enter(.open, now: clock.now(), settings)
                    return (.halfOpen, .open)
                default:
                    return nil
                }
            }
        }

        /// Moves to `newState`, starting a new generation with cleared counts.
        mutating func enter(_ newState: State, now: Duration, _ settings: Settings) {
            state = newState
            generation &+= 1
            counts = CircuitBreakerCounts()
            outstanding = 0
            switch newState {
            case .closed: expiry = settings.interval.map { now + $0 }
            case .open: expiry = now + settings.timeout
            case .halfOpen: expiry = nil
            }
        }
    }
}
