public import Foundation

/// The source of wall-clock time for TTLs and message expiry.
///
/// MeshKit reads the time through this value so that tests can move time forward instead of
/// sleeping; `MeshKitTesting.ManualClock` provides one.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    /// Creates a clock that reads the time from `now`.
    public init(now: @escaping @Sendable () -> Date) {
        self.read = now
    }

    /// The current time.
    public func now() -> Date { read() }

    /// The system's clock.
    public static let system = WallClock { Date() }
}
