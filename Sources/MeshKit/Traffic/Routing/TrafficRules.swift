import Synchronization

/// The Istio traffic rules of one mesh, by host: the VirtualService that routes an app ID's calls
/// and the clusters that its DestinationRules define, made on first use and shared by every
/// route that sends calls there, so outlier state and pool limits are per destination.
final class TrafficRules: Sendable {
    private let virtualServices: [String: VirtualServiceResource]
    private let destinationRules: [String: [DestinationRuleResource]]
    private let clusters = Mutex<[Destination: Cluster]>([:])
    private let clock: MonotonicClock

    init(_ resources: ResourceSet, clock: MonotonicClock) {
        var services: [String: VirtualServiceResource] = [:]
        for service in resources.virtualServices {
            for host in service.hosts where services[host] == nil { services[host] = service }
        }
        self.virtualServices = services
        self.destinationRules = Dictionary(grouping: resources.destinationRules, by: \.host)
        self.clock = clock
    }

    /// The VirtualService that routes calls to `appID`; the first one loaded wins when several
    /// name the same host.
    func virtualService(for appID: String) -> VirtualServiceResource? {
        virtualServices.isEmpty ? nil : virtualServices[appID]
    }

    /// The cluster of `destination`, made on first use.
    func cluster(for destination: Destination) -> Cluster {
        let key = Destination(host: destination.host, subset: destination.subset)
        if let existing = clusters.withLock({ $0[key] }) { return existing }
        let made = makeCluster(key)
        return clusters.withLock { clusters in
            if let raced = clusters[key] { return raced }
            clusters[key] = made
            return made
        }
    }

    private func makeCluster(_ destination: Destination) -> Cluster {
        let rules = destinationRules[destination.host] ?? []
        let rule = rules.first
        let subset = destination.subset.flatMap { name in rules.lazy.compactMap { $0.subset(named: name) }.first }
        return Cluster(
            destination: destination,
            labels: subset?.labels ?? [:],
            policy: (rule?.trafficPolicy ?? TrafficPolicy()).overridden(by: subset?.trafficPolicy),
            clock: clock
        )
    }
}
