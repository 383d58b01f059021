/// The counts a circuit breaker's trip condition reads, as Dapr names them.
public struct CircuitBreakerCounts: Sendable, Hashable {
    /// Calls in the current interval.
    public var requests: Int
    /// Successful calls in the current interval.
    public var totalSuccesses: Int
    /// Failed calls in the current interval.
    public var totalFailures: Int
    /// Successes in a row.
    public var consecutiveSuccesses: Int
    /// Failures in a row.
    public var consecutiveFailures: Int

    /// Creates counts.
    public init(
        requests: Int = 0,
        totalSuccesses: Int = 0,
        totalFailures: Int = 0,
        consecutiveSuccesses: Int = 0,
        consecutiveFailures: Int = 0
    ) {
        self.requests = requests
        self.totalSuccesses = totalSuccesses
        self.totalFailures = totalFailures
        self.consecutiveSuccesses = consecutiveSuccesses
        self.consecutiveFailures = consecutiveFailures
    }

    func value(of variable: String) -> Int? {
        switch variable {
        case "requests": requests
        case "totalSuccesses": totalSuccesses
        case "totalFailures": totalFailures
        case "consecutiveSuccesses": consecutiveSuccesses
        case "consecutiveFailures": consecutiveFailures
        default: nil
        }
    }
}

extension CircuitBreakerPolicy {
    /// Whether the trip condition holds for these counts.
    public func trips(_ counts: CircuitBreakerCounts) -> Bool {
        tripExpression.matches { path in
            path.count == 1 ? counts.value(of: path[0]).map { .number(Double($0)) } : nil
        }
    }
}
