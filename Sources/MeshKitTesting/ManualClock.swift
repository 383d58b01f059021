public import Foundation
public import MeshKit
import Synchronization

/// A clock that moves only when told to, for testing TTLs, message expiry, circuit breakers,
/// retry budgets and rate limits without sleeping. It serves as both MeshKit clocks: the wall
/// clock (``wallClock``) and the monotonic one (``monotonicClock``) move together.
public final class ManualClock: Sendable {
    private let current: Mutex<(date: Date, elapsed: Duration)>

    /// Creates a clock reading `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.current = Mutex((start, .zero))
    }

    /// The current reading.
    public var now: Date { current.withLock { $0.date } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        current.withLock { current in
            current.date = current.date.addingTimeInterval(seconds)
            current.elapsed += .nanoseconds(Int64(seconds * 1e9))
        }
    }

    /// The clock as MeshKit reads monotonic time.
    public var monotonicClock: MonotonicClock {
        MonotonicClock { [self] in current.withLock { $0.elapsed } }
    }

    /// The clock as MeshKit reads it.
    public var wallClock: WallClock {
        WallClock { [self] in now }
    }
}
