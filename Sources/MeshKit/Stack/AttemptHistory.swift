import Synchronization

/// The endpoints the attempts of one call went to: so that a retry prefers another, as Envoy's
/// `previous_hosts` retry predicate does, and so that the access log names the last. Made by the
/// retry or access log filter, only for calls that need it, and filled by the balancer.
final class AttemptHistory: Sendable {
    /// The first attempt's endpoint is kept inline, so that a call that is not retried allocates
    /// no array.
    private struct Endpoints {
        var first: Endpoint?
        var retries: [Endpoint] = []
    }

    private let endpoints = Mutex(Endpoints())

    /// Records the endpoint an attempt goes to.
    func record(_ endpoint: Endpoint) {
        endpoints.withLock { endpoints in
            if endpoints.first == nil { endpoints.first = endpoint } else { endpoints.retries.append(endpoint) }
        }
    }

    /// Whether an earlier attempt went to `endpoint`.
    func contains(_ endpoint: Endpoint) -> Bool {
        endpoints.withLock { $0.first == endpoint || $0.retries.contains(endpoint) }
    }

    /// The endpoint of the latest attempt.
    var last: Endpoint? {
        endpoints.withLock { $0.retries.last ?? $0.first }
    }
}
