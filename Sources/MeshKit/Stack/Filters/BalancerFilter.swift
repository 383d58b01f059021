import Synchronization

/// Picks the endpoint of each attempt of an invocation to an app outside this process: resolves
/// the destination's app ID, keeps the endpoints of its subset, leaves out the ejected ones, and
/// asks the cluster's balancer. A retry prefers an endpoint no earlier attempt used, as Envoy's
/// `previous_hosts` predicate does, trying up to three picks. It times each call on its host, for
/// the least-request balancer's latency estimate.
///
/// The stack runs it inline when the resolver knows the endpoints without waiting
/// (``NameResolver/knownEndpoints(appID:)``), and through ``handle(_:next:)`` when it must ask.
final class BalancerFilter: ChangingCallFilter {
    let network: InProcessNetwork
    let rules: TrafficRules
    let resolver: any NameResolver
    /// The clock a call is timed with on its host.
    let clock: MonotonicClock
    /// The clusters of the destinations this stack's calls go to (its route's, or the target
    /// app's), found once here rather than in the rules' table per call.
    private let usual: [UsualCluster]

    /// A cluster this stack's calls usually go to, and whether its app was last found outside
    /// this process.
    private final class UsualCluster: Sendable {
        let cluster: Cluster
        /// The network's ``InProcessNetwork/joins`` when the app was last found not to live in
        /// this process; -1 before that.
        let remoteAsOf = Atomic<Int>(-1)

        init(_ cluster: Cluster) {
            self.cluster = cluster
        }
    }

    /// How many picks a retry makes to find an endpoint not tried before.
    static let retryPicks = 3

    init(network: InProcessNetwork, rules: TrafficRules, resolver: any NameResolver, clock: MonotonicClock, destinations: [Destination]) {
        self.network = network
        self.rules = rules
        self.resolver = resolver
        self.clock = clock
        self.usual = destinations.map { UsualCluster(rules.cluster(for: $0)) }
    }

    /// Calls that are not invocations need no endpoint.
    func passesThrough<Result: Sendable>(_ call: MeshCall<Result>) -> Bool {
        !call.isInvocation
    }

    /// Picks the endpoint when the resolver knows the endpoints already; otherwise `nil`, and
    /// the stack runs ``handle(_:next:)``, which waits for them. An invocation of an app in
    /// this process passes unchanged. The ticket is the time the call started on its host.
    func enter<Result: Sendable>(_ call: inout MeshCall<Result>) throws -> FilterTicket? {
        guard call.isInvocation else { return FilterTicket.none }
        let destination = destination(of: call)
        let usual = usualCluster(of: destination)
        if livesHere(destination, usual) { return FilterTicket.none }
        guard let endpoints = resolver.knownEndpoints(appID: destination.host) else { return nil }
        try pick(for: &call, among: endpoints, of: destination, in: usual?.cluster ?? rules.cluster(for: destination))
        return FilterTicket(number: clock.nanoseconds())
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: inout Result) {
        guard let host = call.upstream else { return }
        let now = clock.nanoseconds()
        host.endCall(answeredAfter: now &- ticket.number, at: now)
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {
        guard let host = call.upstream else { return }
        let now = clock.nanoseconds()
        host.endCall(failedAfter: now &- ticket.number, at: now)
    }

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        let destination = destination(of: call)
        let usual = usualCluster(of: destination)
        if passesThrough(call) || livesHere(destination, usual) { return try await next(call) }
        var call = call
        let endpoints = try await resolve(destination.host)
        try pick(for: &call, among: endpoints, of: destination, in: usual?.cluster ?? rules.cluster(for: destination))
        let ticket = FilterTicket(number: clock.nanoseconds())
        do {
            var result = try await next(call)
            exit(ticket, call, returning: &result)
            return result
        } catch {
            exit(ticket, call, throwing: error)
            throw error
        }
    }

    private func destination<Result: Sendable>(of call: MeshCall<Result>) -> Destination {
        call.destination ?? Destination(host: call.invokedAppID ?? "")
    }

    /// Sets the call's endpoint, host and cluster to the pick among `endpoints`, and counts the
    /// call on the host until ``exit(_:_:returning:)``.
    private func pick<Result: Sendable>(
        for call: inout MeshCall<Result>,
        among endpoints: [Endpoint],
        of destination: Destination,
        in cluster: Cluster
    ) throws {
        cluster.upstream.update(endpoints)
        let eligible = cluster.upstream.eligibleHosts
        let key = cluster.hashesRequests ? call.invocation.flatMap(cluster.hashKey(of:)) : nil
        guard var host = cluster.balancer.pick(from: eligible, hashKey: key) else {
            throw MeshError(
                .appNotFound,
                cluster.upstream.hosts.isEmpty
                    ? "no endpoint of '\(destination.host)'\(destination.subset.map { " in subset '\($0)'" } ?? "") is known"
                    : "every endpoint of '\(destination.host)' is ejected",
                context: .init(subject: destination.host)
            )
        }
        if let history = call.history {
            var picks = 1
            while history.contains(host), picks < Self.retryPicks, let other = cluster.balancer.pick(from: eligible, hashKey: key) {
                host = other
                picks += 1
            }
            history.record(host)
        }
        call.endpoint = host.endpoint
        call.upstream = host
        call.cluster = cluster
        host.beginCall()
    }

    private func usualCluster(of destination: Destination) -> UsualCluster? {
        usual.first { $0.cluster.destination.host == destination.host && $0.cluster.destination.subset == destination.subset }
    }

    /// Whether the destination's app lives in this process. An answer of no for a usual cluster
    /// is kept until another mesh joins the network; yes is always checked again, since the
    /// network holds its meshes weakly.
    private func livesHere(_ destination: Destination, _ usual: UsualCluster?) -> Bool {
        let joins = network.joins
        if let usual, usual.remoteAsOf.load(ordering: .relaxed) == joins { return false }
        let lives = network.mesh(appID: destination.host) != nil
        if !lives, let usual { usual.remoteAsOf.store(joins, ordering: .relaxed) }
        return lives
    }

    private func resolve(_ appID: String) async throws -> [Endpoint] {
        do {
            return try await resolver.resolve(appID: appID)
        } catch let error as MeshError {
            throw error
        } catch {
            throw MeshError(.unavailable, "resolving '\(appID)' failed: \(error)", context: .init(subject: appID), underlying: error)
        }
    }
}

extension StackModule {
    static let balancer = StackModule(name: .balancer) { context in
        guard let routing = context.routing, let transport = routing.transport else { return nil }
        let destinations = routing.route?.route.map(\.destination) ?? context.target.appID.map { [Destination(host: $0)] } ?? []
        return BalancerFilter(network: routing.network, rules: routing.rules, resolver: transport.resolver, clock: context.clock, destinations: destinations)
    }
}
