#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A mutex with a condition variable whose timed waits run on the monotonic clock (on Linux), so
/// a wall clock that jumps cannot stretch or cut a timeout.
final class MonotonicCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if !canImport(Darwin)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` holding the mutex.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Wakes every waiting thread. Call it holding the mutex.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }

    /// Waits, holding the mutex, until signalled.
    func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Waits, holding the mutex, until signalled or until `deadline`, whichever comes first.
    func wait(until deadline: ContinuousClock.Instant) {
        let target = Self.monotonicNow() + max(ContinuousClock.now.duration(to: deadline), .zero)
        let (seconds, attoseconds) = target.components
        var time = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        pthread_cond_timedwait(condition, mutex, &time)
    }

    /// The reading of the clock the condition's timed waits use (monotonic on Linux; Darwin's
    /// condition variables wait on the wall clock), as a duration since its epoch.
    private static func monotonicNow() -> Duration {
        var now = timespec()
        #if canImport(Darwin)
            clock_gettime(CLOCK_REALTIME, &now)
        #else
            clock_gettime(CLOCK_MONOTONIC, &now)
        #endif
        return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
    }
}
