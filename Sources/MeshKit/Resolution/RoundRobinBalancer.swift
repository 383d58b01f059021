import Synchronization

/// Picks endpoints in turn, one counter per app ID.
public final class RoundRobinBalancer: Sendable {
    private let counters = Mutex<[String: Int]>([:])

    /// Creates a balancer.
    public init() {}

    /// The next endpoint for `appID`, or `nil` when `endpoints` is empty.
    public func pick(appID: String, from endpoints: [Endpoint]) -> Endpoint? {
        guard !endpoints.isEmpty else { return nil }
        let turn = counters.withLock { counters in
            let turn = counters[appID, default: 0]
            counters[appID] = turn &+ 1
            return turn
        }
        return endpoints[Int(UInt(bitPattern: turn) % UInt(endpoints.count))]
    }
}
