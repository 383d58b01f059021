/// A Dapr circuit-breaker policy.
public struct CircuitBreakerPolicy: Sendable {
    /// Calls allowed through while half-open (Dapr default 1).
    public var maxRequests: Int
    /// The cyclic period after which closed-state counts are cleared; zero never clears (Dapr default 0s).
    public var interval: Duration
    /// How long the breaker stays open before going half-open (Dapr default 60s).
    public var timeout: Duration
    /// The trip condition, such as `consecutiveFailures >= 5` (Dapr default `consecutiveFailures > 5`).
    public var trip: String
    let tripExpression: Expression

    /// The variables a trip condition may read.
    public static let tripVariables: Set<String> = [
        "requests", "totalSuccesses", "totalFailures", "consecutiveSuccesses", "consecutiveFailures",
    ]

    /// Creates a circuit breaker; throws when `trip` is not a valid condition.
    public init(
        maxRequests: Int = 1,
        interval: Duration = .zero,
        timeout: Duration = .seconds(60),
        trip: String = "consecutiveFailures > 5"
    ) throws(MeshError) {
        self.maxRequests = maxRequests
        self.interval = interval
        self.timeout = timeout
        self.trip = trip
        self.tripExpression = try Self.parseTrip(trip, at: nil)
    }

    init(node: ResourceNode) throws(MeshError) {
        self.maxRequests = try node.int("maxRequests") ?? 1
        self.interval = try node.duration("interval") ?? .zero
        self.timeout = try node.duration("timeout") ?? .seconds(60)
        self.trip = try node.string("trip") ?? "consecutiveFailures > 5"
        self.tripExpression = try Self.parseTrip(trip, at: try node.child("trip"))
    }

    private static func parseTrip(_ text: String, at node: ResourceNode?) throws(MeshError) -> Expression {
        func invalid(_ reason: String) -> MeshError {
            let message = "the trip expression '\(text)' is invalid: \(reason)"
            return node?.error(.malformedResource, message) ?? MeshError(.invalidConfiguration, message)
        }
        let expression: Expression
        do {
            expression = try Expression(parsing: text)
        } catch {
            throw invalid(error.description)
        }
        for path in expression.variables where path.count != 1 || !tripVariables.contains(path[0]) {
            throw invalid(
                "unknown variable '\(path.joined(separator: "."))'; use \(tripVariables.sorted().joined(separator: ", "))"
            )
        }
        return expression
    }
}
