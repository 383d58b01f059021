import Synchronization

/// One endpoint of a cluster together with its live state: the calls in flight, which the
/// least-request balancer reads, and the outlier-detection state, which ``OutlierDetector``
/// writes.
///
/// An ``UpstreamCluster`` keeps the same object for an endpoint across re-resolutions, so the
/// calls in flight and an ejection survive a new resolver answer. Every field is an atomic: the
/// hot path reads them without a lock.
public final class UpstreamHost: Sendable, CustomStringConvertible {
    /// The endpoint this host stands for.
    public let endpoint: Endpoint

    private let inFlight = Atomic<Int>(0)
    /// Consecutive 5xx answers (and local-origin failures); reset by a success.
    let consecutive5xx = Atomic<Int>(0)
    /// Consecutive 502, 503 and 504 answers (and local-origin failures); reset by a success.
    let consecutiveGatewayErrors = Atomic<Int>(0)
    /// When the ejection ends, in clock nanoseconds; 0 when the host is not ejected.
    let ejectedUntilNanoseconds = Atomic<Int64>(0)
    /// Envoy's ejection back-off: the factor of the base ejection time for the next ejection,
    /// raised by each ejection and lowered at each interval the host stays healthy.
    let ejectionMultiplier = Atomic<Int>(0)
    /// When the host last came back from an ejection, in clock nanoseconds; `Int64.min` if never.
    let lastReturnNanoseconds = Atomic<Int64>(.min)
    private let ejections = Atomic<Int>(0)

    /// Creates a host with no call in flight and never ejected.
    public init(endpoint: Endpoint) {
        self.endpoint = endpoint
    }

    /// Counts a call that starts on this host; pair it with ``endCall()``.
    public func beginCall() {
        inFlight.wrappingAdd(1, ordering: .relaxed)
    }

    /// Counts the end of a call started with ``beginCall()``.
    public func endCall() {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
    }

    /// The calls in flight to this host now.
    public var callsInFlight: Int {
        inFlight.load(ordering: .relaxed)
    }

    /// Whether outlier detection has ejected this host.
    public var isEjected: Bool {
        ejectedUntilNanoseconds.load(ordering: .relaxed) != 0
    }

    /// When the current ejection ends, on the detector's clock; `nil` when not ejected. The host
    /// returns at the first detector sweep at or after this time, as in Envoy.
    public var ejectedUntil: Duration? {
        let until = ejectedUntilNanoseconds.load(ordering: .relaxed)
        return until == 0 ? nil : .nanoseconds(until)
    }

    /// How many times this host has been ejected since it was first seen.
    public var ejectionCount: Int {
        ejections.load(ordering: .relaxed)
    }

    public var description: String { endpoint.origin }

    /// Marks the host ejected until `until` (clock nanoseconds); called under the detector's lock.
    func markEjected(until: Int64) {
        ejectedUntilNanoseconds.store(max(1, until), ordering: .relaxed)
        ejections.wrappingAdd(1, ordering: .relaxed)
    }

    /// Marks the host back at `now` and clears its consecutive counts, as Envoy does so that a
    /// few errors do not eject it again at once; called under the detector's lock.
    func markReturned(at now: Int64) {
        ejectedUntilNanoseconds.store(0, ordering: .relaxed)
        lastReturnNanoseconds.store(now, ordering: .relaxed)
        consecutive5xx.store(0, ordering: .relaxed)
        consecutiveGatewayErrors.store(0, ordering: .relaxed)
    }
}
