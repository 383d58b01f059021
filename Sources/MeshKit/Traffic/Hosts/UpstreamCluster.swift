import Synchronization

/// The hosts of one cluster (a host name and subset) across re-resolutions: turns each resolver
/// answer into a ``HostSet``, keeping the ``UpstreamHost`` of an endpoint already known so its
/// calls in flight and its ejection survive, and, with an ``OutlierDetector``, the set of hosts
/// that may take calls.
///
/// ```swift
/// cluster.update(try await resolver.resolve(appID))   // on each new answer
/// let host = balancer.pick(from: cluster.eligibleHosts, hashKey: nil)
/// let start = clock.now()
/// host.beginCall()
/// let response = try await send(request, to: host.endpoint)
/// let end = clock.now()
/// host.endCall(answeredAfter: end - start, at: end)   // or endCall(failedAfter:at:), or endCall()
/// cluster.record(host, outcome: .httpStatus(response.status))
/// ```
public final class UpstreamCluster: Sendable {
    /// The labels an endpoint must all carry, with these values, to belong to the cluster; empty
    /// for the whole host.
    public let subset: [String: String]
    /// The outlier detector, if the cluster's policy has outlier detection.
    public let outlierDetector: OutlierDetector?

    private struct State {
        var known: [Endpoint: UpstreamHost] = [:]
        var hosts = HostSet.empty
        /// The endpoints of the last update, in the resolver's order.
        var lastEndpoints: [Endpoint]?
    }

    private let state = Mutex(State())

    /// Creates a cluster with no host yet.
    ///
    /// - Parameters:
    ///   - subset: The labels of the subset; empty for all the endpoints.
    ///   - outlierDetection: The outlier detection policy, or `nil` for none.
    ///   - clock: The clock outlier detection measures ejections with.
    public init(subset: [String: String] = [:], outlierDetection: OutlierDetectionPolicy? = nil, clock: MonotonicClock = .system) {
        self.subset = subset
        self.outlierDetector = outlierDetection.map { OutlierDetector(policy: $0, clock: clock) }
    }

    /// Replaces the hosts with the endpoints of `endpoints` that match ``subset``, reusing the
    /// host of each endpoint already known; an endpoint is known by its whole value, so one whose
    /// labels change is a new host. Duplicates are dropped.
    ///
    /// - Returns: The new set of all the cluster's hosts.
    @discardableResult
    public func update(_ endpoints: [Endpoint]) -> HostSet {
        state.withLock { state in
            // The same answer as last time (a resolver usually hands back the same array, which
            // compares at once): nothing changes, and nothing is allocated.
            if endpoints == state.lastEndpoints { return state.hosts }
            state.lastEndpoints = endpoints
            var known: [Endpoint: UpstreamHost] = [:]
            var hosts: [UpstreamHost] = []
            hosts.reserveCapacity(endpoints.count)
            for endpoint in endpoints where Self.matches(endpoint, subset: subset) && known[endpoint] == nil {
                let host = state.known[endpoint] ?? UpstreamHost(endpoint: endpoint)
                known[endpoint] = host
                hosts.append(host)
            }
            state.known = known
            state.hosts = HostSet(hosts)
            // Under the cluster's lock, so that the detector sees updates in order.
            outlierDetector?.update(hosts: state.hosts)
            return state.hosts
        }
    }

    /// All the cluster's hosts, ejected or not.
    public var hosts: HostSet {
        state.withLock { $0.hosts }
    }

    /// The hosts a balancer picks from: all of them without outlier detection, otherwise
    /// ``OutlierDetector/eligibleHosts``. One lock and no copy.
    public var eligibleHosts: HostSet {
        if let outlierDetector { return outlierDetector.eligibleHosts }
        return hosts
    }

    /// Records how a call to `host` ended, for outlier detection (nothing without it); returns
    /// whether it ejected the host.
    @discardableResult
    public func record(_ host: UpstreamHost, outcome: OutlierDetector.Outcome) -> Bool {
        outlierDetector?.record(host, outcome: outcome) ?? false
    }

    /// Whether `endpoint` carries every label of `subset` with the same value.
    public static func matches(_ endpoint: Endpoint, subset: [String: String]) -> Bool {
        subset.allSatisfy { endpoint.labels[$0.key] == $0.value }
    }
}
