import Synchronization

/// The Istio traffic rules of one mesh, by host: the VirtualService that routes an app ID's calls
/// and the clusters that its DestinationRules define, made on first use and shared by every
/// route that sends calls there, so outlier state and pool limits are per destination.
final class TrafficRules: Sendable {
    private let virtualServices: [String: VirtualServiceResource]
    /// VirtualServices with a wildcard host (`*`, `*.example`), tried after the exact hosts.
    private let wildcardServices: [VirtualServiceResource]
    private let destinationRules: [String: [DestinationRuleResource]]
    private let clusters = Mutex<[Destination: Cluster]>([:])
    private let clock: MonotonicClock

    init(_ resources: ResourceSet, clock: MonotonicClock) {
        var services: [String: VirtualServiceResource] = [:]
        for service in resources.virtualServices {
            for host in service.hosts where !host.hasPrefix("*") && services[host] == nil { services[host] = service }
        }
        self.virtualServices = services
        self.wildcardServices = resources.virtualServices.filter { $0.hosts.contains { $0.hasPrefix("*") } }
        self.hasOutlierDetection = resources.destinationRules.contains { rule in
            rule.trafficPolicy?.outlierDetection != nil || rule.subsets.contains { $0.trafficPolicy?.outlierDetection != nil }
        }
        self.hasConnectionPools = resources.destinationRules.contains { rule in
            rule.trafficPolicy?.connectionPool != nil || rule.subsets.contains { $0.trafficPolicy?.connectionPool != nil }
        }
        self.destinationRules = Dictionary(grouping: resources.destinationRules, by: \.host)
        self.clock = clock
    }

    /// Whether any DestinationRule sets `outlierDetection`, so stacks need the filter.
    let hasOutlierDetection: Bool
    /// Whether any DestinationRule sets `connectionPool`, so stacks need the filter.
    let hasConnectionPools: Bool

    /// The VirtualService that routes calls to `appID`: one naming it exactly, else one whose
    /// wildcard host covers it; the first one loaded wins when several name the same host.
    func virtualService(for appID: String) -> VirtualServiceResource? {
        if let exact = virtualServices[appID] { return exact }
        return wildcardServices.isEmpty ? nil : wildcardServices.first { $0.applies(to: appID) }
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
