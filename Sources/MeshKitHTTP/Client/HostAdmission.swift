import Synchronization

/// Bounds the calls in flight to each host (name or address, and port): at most
/// `maxConnections` hold a connection and at most `maxPending` more wait for one, in libcurl's
/// queue; a call past both is turned away at once.
///
/// libcurl does the waiting (`CURLMOPT_MAX_HOST_CONNECTIONS` queues transfers, in order, until
/// a connection is free; the wait counts against the attempt's timeout and a cancelled call
/// leaves the queue at once) but has no bound on its queue: this counter is that bound. Over
/// multiplexed HTTP/2 one connection carries many calls, so there the bound counts calls.
final class HostAdmission: Sendable {
    struct Host: Hashable, Sendable {
        var name: String
        var port: Int
    }

    private let limit: Int
    private let inFlight = Mutex<[Host: Int]>([:])

    init(maxConnections: Int, maxPending: Int) {
        self.limit = maxConnections + max(0, maxPending)
    }

    /// Counts a call to `host` in; false when the host already has as many as the bound allows.
    func enter(_ host: Host) -> Bool {
        inFlight.withLock { inFlight in
            let count = inFlight[host, default: 0]
            guard count < limit else { return false }
            inFlight[host] = count + 1
            return true
        }
    }

    /// Counts a call that ``enter(_:)`` let in out again.
    func leave(_ host: Host) {
        inFlight.withLock { inFlight in
            let count = inFlight[host, default: 1] - 1
            inFlight[host] = count > 0 ? count : nil
        }
    }
}
