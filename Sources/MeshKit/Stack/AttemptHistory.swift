import Synchronization

/// The endpoints the earlier attempts of one call went to, so that a retry prefers another, as
/// Envoy's `previous_hosts` retry predicate does. Made by the retry filter, only for calls that
/// may be retried, and filled by the balancer.
final class AttemptHistory: Sendable {
    private let endpoints = Mutex<[Endpoint]>([])

    /// Records the endpoint an attempt goes to.
    func record(_ endpoint: Endpoint) {
        endpoints.withLock { $0.append(endpoint) }
    }

    /// Whether an earlier attempt went to `endpoint`.
    func contains(_ endpoint: Endpoint) -> Bool {
        endpoints.withLock { $0.contains(endpoint) }
    }
}
