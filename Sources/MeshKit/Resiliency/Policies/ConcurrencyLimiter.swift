import Synchronization

/// A bulkhead: at most `maxConcurrent` calls in flight at once, lock-free.
///
/// ```swift
/// guard limiter.tryAcquire() else { throw MeshError(.tooManyRequests, "...") }
/// defer { limiter.release() }
/// ```
public final class ConcurrencyLimiter: Sendable {
    /// The most calls allowed in flight at once.
    public let maxConcurrent: Int
    private let count = Atomic<Int>(0)

    /// Creates a limiter with no call in flight; a `maxConcurrent` of zero admits nothing.
    public init(maxConcurrent: Int) {
        precondition(maxConcurrent >= 0, "maxConcurrent must not be negative")
        self.maxConcurrent = maxConcurrent
    }

    /// Takes a slot: returns `true` when the call may proceed (call ``release()`` when it ends),
    /// `false` when `maxConcurrent` calls are already in flight.
    public func tryAcquire() -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < maxConcurrent {
            let (exchanged, original) = count.compareExchange(
                expected: current,
                desired: current + 1,
                successOrdering: .acquiring,
                failureOrdering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives back a slot taken by a successful ``tryAcquire()``.
    public func release() {
        let (old, _) = count.subtract(1, ordering: .releasing)
        precondition(old > 0, "ConcurrencyLimiter.release() called without a matching tryAcquire()")
    }

    /// The calls in flight now.
    public var inFlight: Int {
        count.load(ordering: .relaxed)
    }
}
