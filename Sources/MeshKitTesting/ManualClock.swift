public import Foundation
public import MeshKit
import Synchronization

/// A wall clock that moves only when told to, for testing TTLs and message expiry without sleeping.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    /// Creates a clock reading `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.current = Mutex(start)
    }

    /// The current reading.
    public var now: Date { current.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// The clock as MeshKit reads it.
    public var wallClock: WallClock {
        WallClock { [self] in now }
    }
}
