import Synchronization

/// One endpoint of a cluster together with its live state: the calls in flight and how long the
/// host takes to answer, which the least-request balancer reads, and the outlier-detection
/// state, which ``OutlierDetector`` writes.
///
/// An ``UpstreamCluster`` keeps the same object for an endpoint across re-resolutions, so the
/// calls in flight and an ejection survive a new resolver answer. Every field is an atomic: the
/// hot path reads them without a lock.
public final class UpstreamHost: Sendable, CustomStringConvertible {
    /// The endpoint this host stands for.
    public let endpoint: Endpoint

    private let inFlight = Atomic<Int>(0)
    /// How long the host takes to answer, from the calls that ended with a time.
    let latency = PeakLatency()
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

    /// Counts the end of a call started with ``beginCall()`` that was answered (with any
    /// status) `latency` nanoseconds after it started, and averages that into the host's
    /// latency estimate; `now` is the end, on the same clock.
    func endCall(answeredAfter latency: Int64, at now: Int64) {
        self.latency.observe(latency, at: now)
        endCall()
    }

    /// Counts the end of a call started with ``beginCall()`` that failed without an answer
    /// `elapsed` nanoseconds after it started; the latency estimate takes it as a lower bound.
    func endCall(failedAfter elapsed: Int64, at now: Int64) {
        latency.observeFailure(after: elapsed, at: now)
        endCall()
    }

    /// Counts the end of a call started with ``beginCall()`` that was answered (with any
    /// status) `latency` after it started, for the latency estimate the least-request balancer
    /// weighs the calls in flight by; `now` is the end, read from the ``MonotonicClock`` every
    /// call on this host is timed with.
    public func endCall(answeredAfter latency: Duration, at now: Duration) {
        endCall(answeredAfter: latency.wholeNanoseconds, at: now.wholeNanoseconds)
    }

    /// Counts the end of a call started with ``beginCall()`` that failed without an answer
    /// `elapsed` after it started: the latency estimate takes it as a lower bound.
    public func endCall(failedAfter elapsed: Duration, at now: Duration) {
        endCall(failedAfter: elapsed.wholeNanoseconds, at: now.wholeNanoseconds)
    }

    /// How long the host takes to answer, by the peak-EWMA estimate of the calls the stack timed
    /// (as of the last one, not decayed since); `nil` before the first. An estimate past
    /// `Int64` nanoseconds reads as 2⁶³−1 nanoseconds (about 292 years).
    public var latencyEstimate: Duration? {
        let nanoseconds = latency.nanoseconds
        guard nanoseconds != 0 else { return nil }
        // 2⁶³ is exactly representable; at or past it, Int64(_:) would trap.
        return nanoseconds < 0x1p63 ? .nanoseconds(Int64(nanoseconds)) : .longest
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
