/// The circuit breaker: an open breaker fails fast with ``MeshError/Code/circuitOpen``; each
/// attempt that passes counts as a success or a failure by the call's reading, and a cancelled
/// one counts neither way.
final class CircuitBreakerFilter: SynchronousCallFilter {
    let breaker: CircuitBreaker

    init(breaker: CircuitBreaker) {
        self.breaker = breaker
    }

    /// The ticket is the breaker's permit.
    func enter<Result: Sendable>(_ call: MeshCall<Result>) throws -> FilterTicket {
        FilterTicket(try breaker.acquire())
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: Result) {
        breaker.record(ticket.permit, call.verdict(of: result) == .success ? .success : .failure)
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {
        if error is CancellationError || Task.isCancelled {
            breaker.record(ticket.permit, .cancelled)
        } else {
            breaker.record(ticket.permit, error.isTransientFailure ? .failure : .success)
        }
    }
}

extension FilterTicket {
    /// A ticket carrying a breaker's permit.
    fileprivate init(_ permit: CircuitBreaker.Permit) {
        self.init(number: Int64(bitPattern: permit.generation), flag: permit.isHalfOpen)
    }

    /// The permit the ticket carries.
    fileprivate var permit: CircuitBreaker.Permit {
        CircuitBreaker.Permit(generation: UInt64(bitPattern: number), isHalfOpen: flag)
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
