import Synchronization

/// The hosts the attempts of one call went to: so that a retry prefers another, as Envoy's
/// `previous_hosts` retry predicate does, and so that the access log names the last. Made by the
/// retry or access log filter, only for calls that need it, and filled by the balancer.
final class AttemptHistory: Sendable {
    /// The first attempt's host is kept inline, so that a call that is not retried allocates no
    /// array.
    private struct Hosts {
        var first: UpstreamHost?
        var retries: [UpstreamHost] = []
    }

    private let hosts = Mutex(Hosts())

    /// Records the host an attempt goes to.
    func record(_ host: UpstreamHost) {
        hosts.withLock { hosts in
            if hosts.first == nil { hosts.first = host } else { hosts.retries.append(host) }
        }
    }

    /// Whether an earlier attempt went to `host`, or to its endpoint through another cluster
    /// (another subset of the same app).
    func contains(_ host: UpstreamHost) -> Bool {
        hosts.withLock { hosts in
            guard let first = hosts.first else { return false }
            func isHost(_ recorded: UpstreamHost) -> Bool { recorded === host || recorded.endpoint == host.endpoint }
            return isHost(first) || hosts.retries.contains(where: isHost)
        }
    }

    /// The endpoint of the latest attempt.
    var last: Endpoint? {
        hosts.withLock { ($0.retries.last ?? $0.first)?.endpoint }
    }
}
