import Synchronization

/// Outlier detection for one cluster: Istio's `outlierDetection`, run as Envoy's consecutive
/// error detectors.
///
/// - Each 5xx answer counts towards ``OutlierDetectionPolicy/consecutive5xxErrors``, each 502,
///   503 and 504 also towards ``OutlierDetectionPolicy/consecutiveGatewayErrors``; a local-origin
///   failure (connection refused or reset, timeout) counts towards both, as Envoy maps it to a
///   503 or 504 when local and upstream errors are not split. Any other answer resets both counts.
/// - Reaching a threshold ejects the host at once, unless ejecting it would put more than
///   ``OutlierDetectionPolicy/maxEjectionPercent`` of the hosts out; as with Envoy's
///   `always_eject_one_host`, one host may always be ejected. The count that tripped is reset
///   either way.
/// - An ejection lasts ``OutlierDetectionPolicy/baseEjectionTime`` × the host's ejection
///   multiplier, which each ejection raises by one and each ``OutlierDetectionPolicy/interval``
///   the host then stays in service lowers by one; it is capped at Envoy's default
///   `max_ejection_time`, 300 s (or the base time, if longer).
/// - Ejected hosts return at the first sweep, every `interval`, at or after their time; the
///   sweeps run lazily when a result is recorded (or ``sweepIfDue()`` is called, or no host is
///   left to pick), so the detector needs no thread.
/// - When fewer than ``OutlierDetectionPolicy/minHealthPercent`` of the hosts are healthy,
///   ``eligibleHosts`` is every host, as Envoy's panic threshold (which Istio sets from it) does.
///
/// The hot path is cheap: a success reads two counters, a failure adds to one or two, and the lock
/// is taken only to eject, to sweep, or to read ``eligibleHosts``. The clock is read only then.
public final class OutlierDetector: Sendable {
    /// How a call to a host ended.
    public enum Outcome: Sendable, Hashable {
        /// The call succeeded; same as an HTTP status below 500.
        case success
        /// The host answered with this HTTP status; 500 and above count as errors, 502, 503 and
        /// 504 also as gateway errors.
        case httpStatus(Int)
        /// The call failed before an answer: connection refused or reset, or a timeout. Counts
        /// as a 5xx and as a gateway error.
        case localOriginFailure
    }

    /// The policy.
    public let policy: OutlierDetectionPolicy

    private struct Settings {
        /// 0: the check is off.
        let consecutive5xx: Int
        let consecutiveGateway: Int
        let interval: Int64
        let baseEjection: Int64
        let maxEjection: Int64
    }

    private struct State {
        var hosts = HostSet.empty
        var members: Set<ObjectIdentifier> = []
        var ejected = 0
        var eligible = HostSet.empty
        var panicking = false
    }

    private let clock: MonotonicClock
    private let settings: Settings
    /// When the next sweep is due, in clock nanoseconds.
    private let nextSweep: Atomic<Int64>
    /// Hosts ejected or with a multiplier to lower: while 0, recording never reads the clock.
    private let pendingWork = Atomic<Int>(0)
    private let state = Mutex(State())

    /// Creates a detector with no host.
    public init(policy: OutlierDetectionPolicy, clock: MonotonicClock = .system) {
        let interval = max(1, policy.interval.wholeNanoseconds)
        let base = max(0, policy.baseEjectionTime.wholeNanoseconds)
        self.policy = policy
        self.clock = clock
        self.settings = Settings(
            consecutive5xx: max(0, policy.consecutive5xxErrors ?? 0),
            consecutiveGateway: max(0, policy.consecutiveGatewayErrors ?? 0),
            interval: interval,
            baseEjection: base,
            maxEjection: max(300_000_000_000, base)
        )
        self.nextSweep = Atomic(clock.now().wholeNanoseconds &+ interval)
    }

    /// Replaces the cluster's hosts; hosts carried over keep their ejection and counts.
    public func update(hosts: HostSet) {
        state.withLock { state in
            state.hosts = hosts
            state.members = Set(hosts.hosts.lazy.map(ObjectIdentifier.init))
            state.ejected = hosts.hosts.count { $0.isEjected }
            publish(&state)
        }
    }

    /// The hosts a balancer may pick from: those not ejected, or all of them when too few are
    /// healthy. One lock, no copy; the set is rebuilt only when a host is ejected or returns.
    public var eligibleHosts: HostSet {
        let (eligible, stranded) = state.withLock { ($0.eligible, $0.eligible.isEmpty && $0.ejected > 0) }
        guard stranded else { return eligible }
        sweepIfDue()
        return state.withLock { $0.eligible }
    }

    /// The hosts ejected now.
    public var ejectedCount: Int {
        state.withLock { $0.ejected }
    }

    /// Whether fewer than ``OutlierDetectionPolicy/minHealthPercent`` of the hosts are healthy, so
    /// that every host is eligible.
    public var isPanicking: Bool {
        state.withLock { $0.panicking }
    }

    /// Records how a call to `host` ended; may eject it. Returns whether this call ejected it.
    @discardableResult
    public func record(_ host: UpstreamHost, outcome: Outcome) -> Bool {
        if pendingWork.load(ordering: .relaxed) > 0 {
            sweepIfDue()
        }
        switch outcome {
        case .success:
            succeeded(host)
            return false
        case .httpStatus(let status) where status < 500:
            succeeded(host)
            return false
        case .httpStatus(let status):
            return failed(host, gateway: (502...504).contains(status))
        case .localOriginFailure:
            return failed(host, gateway: true)
        }
    }

    /// Runs the sweeps due by now: returns the hosts whose ejection has ended and lowers the
    /// multipliers of hosts that stayed in service. Cheap when none is due: one clock read.
    public func sweepIfDue() {
        let now = clock.now().wholeNanoseconds
        guard now >= nextSweep.load(ordering: .relaxed) else { return }
        state.withLock { sweep(now: now, &$0) }
    }

    private func succeeded(_ host: UpstreamHost) {
        if host.consecutive5xx.load(ordering: .relaxed) != 0 {
            host.consecutive5xx.store(0, ordering: .relaxed)
        }
        if host.consecutiveGatewayErrors.load(ordering: .relaxed) != 0 {
            host.consecutiveGatewayErrors.store(0, ordering: .relaxed)
        }
    }

    /// Counts a failure of `host`; returns whether it ejected the host.
    private func failed(_ host: UpstreamHost, gateway: Bool) -> Bool {
        var tripped5xx = false
        var trippedGateway = false
        if settings.consecutiveGateway > 0 {
            if gateway {
                trippedGateway = host.consecutiveGatewayErrors.wrappingAdd(1, ordering: .relaxed).newValue == settings.consecutiveGateway
            } else if host.consecutiveGatewayErrors.load(ordering: .relaxed) != 0 {
                host.consecutiveGatewayErrors.store(0, ordering: .relaxed)
            }
        }
        if settings.consecutive5xx > 0 {
            tripped5xx = host.consecutive5xx.wrappingAdd(1, ordering: .relaxed).newValue == settings.consecutive5xx
        }
        guard tripped5xx || trippedGateway else { return false }
        let now = clock.now().wholeNanoseconds
        return state.withLock { state in
            if tripped5xx { host.consecutive5xx.store(0, ordering: .relaxed) }
            if trippedGateway { host.consecutiveGatewayErrors.store(0, ordering: .relaxed) }
            sweep(now: now, &state)
            return eject(host, now: now, &state)
        }
    }

    /// Ejects `host` if it is a member, not ejected, and the cap allows it; returns whether it
    /// did. Under the lock.
    private func eject(_ host: UpstreamHost, now: Int64, _ state: inout State) -> Bool {
        guard state.members.contains(ObjectIdentifier(host)), !host.isEjected else { return false }
        let total = state.hosts.count
        guard state.ejected == 0 || (state.ejected + 1) * 100 <= policy.maxEjectionPercent * total else { return false }
        if pendingWork.load(ordering: .relaxed) == 0 {
            // Nothing was pending, so no sweep ran lately: skip the sweeps that had nothing to do.
            let due = nextSweep.load(ordering: .relaxed)
            if due <= now {
                nextSweep.store(due + ((now - due) / settings.interval + 1) * settings.interval, ordering: .relaxed)
            }
        }
        // Envoy raises the multiplier while base × multiplier < max + base.
        var multiplier = Int64(host.ejectionMultiplier.load(ordering: .relaxed))
        let (current, overflow) = settings.baseEjection.multipliedReportingOverflow(by: multiplier)
        if !overflow && current < settings.maxEjection + settings.baseEjection {
            multiplier += 1
            host.ejectionMultiplier.store(Int(multiplier), ordering: .relaxed)
        }
        let (duration, durationOverflow) = settings.baseEjection.multipliedReportingOverflow(by: multiplier)
        host.markEjected(until: now + (durationOverflow ? settings.maxEjection : min(duration, settings.maxEjection)))
        state.ejected += 1
        publish(&state)
        return true
    }

    /// Runs every sweep due by `now`, as if each had run at its time. Under the lock.
    private func sweep(now: Int64, _ state: inout State) {
        let first = nextSweep.load(ordering: .relaxed)
        guard now >= first else { return }
        let interval = settings.interval
        let due = (now - first) / interval + 1
        let last = first + (due - 1) * interval
        var returned = false
        for host in state.hosts.hosts {
            let until = host.ejectedUntilNanoseconds.load(ordering: .relaxed)
            if until != 0 {
                let returnAt = until <= first ? first : first + (until - first + interval - 1) / interval * interval
                guard returnAt <= last else { continue }
                host.markReturned(at: returnAt)
                state.ejected -= 1
                returned = true
            }
            // Each sweep an interval or more after the return lowers the multiplier by one.
            let multiplier = host.ejectionMultiplier.load(ordering: .relaxed)
            let back = host.lastReturnNanoseconds.load(ordering: .relaxed)
            guard multiplier > 0, back != .min else { continue }
            let start = back + interval
            let skipped = start <= first ? 0 : (start - first + interval - 1) / interval
            let lowered = due - skipped
            if lowered > 0 {
                host.ejectionMultiplier.store(Int(max(0, Int64(multiplier) - lowered)), ordering: .relaxed)
            }
        }
        nextSweep.store(last + interval, ordering: .relaxed)
        publish(&state, rebuild: returned)
    }

    /// Rebuilds the eligible set (when `rebuild`) and the pending-work count. Under the lock.
    private func publish(_ state: inout State, rebuild: Bool = true) {
        if rebuild {
            let total = state.hosts.count
            state.panicking = total > 0 && (total - state.ejected) * 100 < policy.minHealthPercent * total
            state.eligible =
                state.ejected == 0 || state.panicking
                ? state.hosts
                : HostSet(state.hosts.hosts.filter { !$0.isEjected })
        }
        let multiplied = state.hosts.hosts.count { !$0.isEjected && $0.ejectionMultiplier.load(ordering: .relaxed) > 0 }
        pendingWork.store(state.ejected + multiplied, ordering: .relaxed)
    }
}
