/// The source of monotonic time for deadlines, breakers, budgets and rate limits.
///
/// MeshKit reads elapsed time through this value so that tests can move time forward instead of
/// sleeping; `MeshKitTesting.ManualClock` provides one. Readings are durations since an
/// arbitrary, fixed origin.
public struct MonotonicClock: Sendable {
    private let read: @Sendable () -> Duration

    /// Creates a clock that reads the time from `now`.
    public init(now: @escaping @Sendable () -> Duration) {
        self.read = now
    }

    /// The time since the clock's origin.
    public func now() -> Duration { read() }

    /// The system's continuous clock.
    public static let system: MonotonicClock = {
        let origin = ContinuousClock.now
        return MonotonicClock { ContinuousClock.now - origin }
    }()
}
