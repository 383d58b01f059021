#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The source of monotonic time for deadlines, breakers, budgets and rate limits.
///
/// MeshKit reads elapsed time through this value so that tests can move time forward instead of
/// sleeping; `MeshKitTesting.ManualClock` provides one. Readings are durations since an
/// arbitrary, fixed origin.
public struct MonotonicClock: Sendable {
    /// How to read the time; `nil` for the system's clock, which is read directly.
    private let read: (@Sendable () -> Duration)?

    /// Creates a clock that reads the time from `now`.
    public init(now: @escaping @Sendable () -> Duration) {
        self.read = now
    }

    private init() {
        self.read = nil
    }

    /// The time since the clock's origin.
    public func now() -> Duration {
        read?() ?? .nanoseconds(Self.systemNanoseconds())
    }

    /// The time since the clock's origin, in whole nanoseconds: for the system's clock one
    /// `clock_gettime`, without `Duration`'s 128-bit arithmetic.
    func nanoseconds() -> Int64 {
        guard let read else { return Self.systemNanoseconds() }
        return read().wholeNanoseconds
    }

    /// The system's monotonic clock (`CLOCK_MONOTONIC`).
    public static let system = MonotonicClock()

    /// The system's monotonic clock, in nanoseconds since its origin.
    static func systemNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }
}
