#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// How long a host takes to answer, as Finagle's and Linkerd's "peak EWMA" estimates it: a
/// moving average of response times that jumps to any slower response at once and forgets it
/// only gradually, over a decay time of 10 seconds (their default).
///
/// The least-request balancer weighs a host's calls in flight by this estimate (see
/// ``LeastRequestLoadBalancer``), so that a host slower than its peers stops taking calls, and
/// takes them again as its estimate decays while it is idle.
///
/// It lives inside its ``UpstreamHost``, so that a pick reads it without following another
/// reference. The estimate and its time are two relaxed atomics rather than one locked pair:
/// two calls ending at once may each overwrite the other's observation, which only skews an
/// estimate that is an estimate anyway, and in exchange a call's end takes no lock.
struct PeakLatency: ~Copyable, Sendable {
    /// The decay time: the weight of an observation falls to 1/e after this long.
    static let decayNanoseconds = 10e9

    /// The estimate in nanoseconds, as the bits of a `Double`; 0 before the first observation.
    private let estimateBits = Atomic<UInt64>(0)
    /// When the estimate was last updated, on the caller's clock, in nanoseconds.
    private let stampNanoseconds = Atomic<Int64>(0)

    /// The estimate as of its last update, in nanoseconds; 0 before the first observation.
    var nanoseconds: Double {
        Double(bitPattern: estimateBits.load(ordering: .relaxed))
    }

    /// When the estimate was last updated, in the caller's clock nanoseconds.
    var stamp: Int64 {
        stampNanoseconds.load(ordering: .relaxed)
    }

    /// Records a call that was answered after `latency` nanoseconds, at `now`: a slower answer
    /// than the estimate replaces it, a faster one is averaged in with the weight of the time
    /// since the last update.
    func observe(_ latency: Int64, at now: Int64) {
        let sample = Double(max(latency, 1))
        let previous = nanoseconds
        var next = sample
        if previous != 0, sample < previous {
            let decay = Self.decay(over: now &- stamp)
            next = previous * decay + sample * (1 - decay)
        }
        estimateBits.store(next.bitPattern, ordering: .relaxed)
        stampNanoseconds.store(now, ordering: .relaxed)
    }

    /// Records a call that failed after `elapsed` nanoseconds, at `now`: the failure says the
    /// host takes at least that long, so it may raise the estimate but never lowers it (a host
    /// that refuses connections at once must not look fast).
    func observeFailure(after elapsed: Int64, at now: Int64) {
        let sample = Double(max(elapsed, 1))
        guard sample > nanoseconds else { return }
        estimateBits.store(sample.bitPattern, ordering: .relaxed)
        stampNanoseconds.store(now, ordering: .relaxed)
    }

    /// Whether `self`, with `calls` in flight, costs less than `other` with `otherCalls`, where
    /// a host's cost is its estimate, decayed to now, times its calls in flight plus one.
    ///
    /// Both estimates decay by the same factor from the later of their two updates to now, so
    /// the comparison needs no clock: only the older estimate is decayed to the time of the
    /// newer. When either host has no estimate yet, the calls in flight alone decide, as in
    /// Envoy's least-request balancer.
    @inline(__always)
    func costsLess(withCalls calls: Int, than other: borrowing PeakLatency, withCalls otherCalls: Int) -> Bool {
        var mine = nanoseconds
        var theirs = other.nanoseconds
        guard mine != 0, theirs != 0 else { return calls < otherCalls }
        let gap = stamp &- other.stamp
        if gap > 0 {
            theirs *= Self.decay(over: gap)
        } else if gap < 0 {
            mine *= Self.decay(over: -gap)
        }
        return mine * Double(calls &+ 1) < theirs * Double(otherCalls &+ 1)
    }

    /// The weight an estimate keeps after `elapsed` nanoseconds, e^(−elapsed/decay time). Under
    /// a millisecond, the usual gap between calls, it is taken as 1 − elapsed/decay time, which
    /// differs from the exponential by less than 10⁻⁸ and costs no `exp`.
    @inline(__always)
    static func decay(over elapsed: Int64) -> Double {
        guard elapsed > 0 else { return 1 }
        let fraction = Double(elapsed) / decayNanoseconds
        return elapsed < 1_000_000 ? 1 - fraction : exp(-fraction)
    }
}
