/// Picks the endpoint of each attempt of an invocation to an app outside this process: resolves
/// the destination's app ID, keeps the endpoints of its subset, leaves out the ejected ones, and
/// asks the cluster's balancer. A retry prefers an endpoint no earlier attempt used, as Envoy's
/// `previous_hosts` predicate does, trying up to three picks.
struct BalancerFilter: CallFilter {
    let routing: RoutingContext
    let transport: any InvocationTransport

    /// How many picks a retry makes to find an endpoint not tried before.
    static let retryPicks = 3

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard let request = call.invocation else { return try await next(call) }
        let destination = call.destination ?? Destination(host: request.appID)
        if routing.network.mesh(appID: destination.host) != nil { return try await next(call) }
        let cluster = routing.rules.cluster(for: destination)
        cluster.upstream.update(try await resolve(destination.host))
        let eligible = cluster.upstream.eligibleHosts
        let key = cluster.hashKey(of: request)
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
            while history.contains(host.endpoint), picks < Self.retryPicks,
                let other = cluster.balancer.pick(from: eligible, hashKey: key)
            {
                host = other
                picks += 1
            }
            history.record(host.endpoint)
        }
        var call = call
        call.endpoint = host.endpoint
        call.upstream = host
        call.cluster = cluster
        host.beginCall()
        defer { host.endCall() }
        return try await next(call)
    }

    private func resolve(_ appID: String) async throws -> [Endpoint] {
        do {
            return try await transport.resolver.resolve(appID: appID)
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
        return BalancerFilter(routing: routing, transport: transport)
    }
}
