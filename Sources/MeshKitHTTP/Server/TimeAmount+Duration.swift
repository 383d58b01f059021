import MeshKit
import NIOCore

extension TimeAmount {
    /// The NIO time amount of a Swift duration, to the nanosecond; a duration past `Int64`'s
    /// nanoseconds (about 292 years) saturates rather than traps.
    init(_ duration: Duration) {
        self = .nanoseconds(duration.wholeNanoseconds)
    }
}
