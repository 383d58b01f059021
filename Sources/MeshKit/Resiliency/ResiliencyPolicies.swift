/// The policies of every `Resiliency` resource that applies to an app, merged, with Dapr's
/// lookup rules for targets and its `Default…Policy` names.
struct ResiliencyPolicies: Sendable {
    private var retries: [String: RetryPolicy] = [:]
    private var components: [String: ComponentPolicyNames] = [:]

    init(_ resources: [ResiliencyResource]) {
        for resource in resources {
            retries.merge(resource.retries) { _, new in new }
            components.merge(resource.components) { _, new in new }
        }
    }

    /// The retry policy for deliveries from a pub/sub component: the component's inbound target,
    /// then Dapr's defaults from the most to the least specific.
    func inboundRetry(pubsub: String) -> RetryPolicy? {
        if let name = components[pubsub]?.inbound?.retry, let policy = retries[name] {
            return policy
        }
        return firstRetry(named: [
            "DefaultPubsubComponentInboundRetryPolicy",
            "DefaultComponentInboundRetryPolicy",
            "DefaultComponentRetryPolicy",
            "DefaultRetryPolicy",
        ])
    }

    private func firstRetry(named names: [String]) -> RetryPolicy? {
        names.lazy.compactMap { retries[$0] }.first
    }
}
