import MeshKit
import Synchronization

/// A monotonic clock that moves only when told to, so policy tests never sleep.
final class TestMonotonicClock: Sendable {
    private let current: Mutex<Duration>

    init(start: Duration = .seconds(1_000)) {
        current = Mutex(start)
    }

    /// Moves the clock forward.
    func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }

    /// The clock as MeshKit reads it.
    var clock: MonotonicClock {
        MonotonicClock { [self] in current.withLock { $0 } }
    }
}
