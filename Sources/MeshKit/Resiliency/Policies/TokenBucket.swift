import Synchronization

/// A token-bucket rate limiter: up to `burst` calls at once, then `ratePerSecond` on average.
///
/// The bucket starts full and refills continuously with the time elapsed on its clock, never
/// holding more than `burst` tokens. Each admitted call takes one token.
public final class TokenBucket: Sendable {
    private let ratePerSecond: Double
    private let capacity: Double
    private let clock: MonotonicClock
    private let bucket: Mutex<(tokens: Double, refilledAt: Duration)>

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - ratePerSecond: The tokens added per second; zero or less never refills.
    ///   - burst: The most tokens the bucket holds, and holds at first; zero or less admits nothing.
    ///   - clock: The monotonic clock the refill is measured with.
    public init(ratePerSecond: Double, burst: Int, clock: MonotonicClock = .system) {
        self.ratePerSecond = max(0, ratePerSecond)
        self.capacity = Double(max(0, burst))
        self.clock = clock
        self.bucket = Mutex((tokens: Double(max(0, burst)), refilledAt: clock.now()))
    }

    /// Takes a token: returns `true` when the call may proceed, `false` when it is rate limited.
    public func tryAcquire() -> Bool {
        let now = clock.now()
        let (rate, capacity) = (ratePerSecond, capacity)
        return bucket.withLock { bucket in
            if now > bucket.refilledAt {
                let elapsed = now - bucket.refilledAt
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                bucket.tokens = min(capacity, bucket.tokens + seconds * rate)
                bucket.refilledAt = now
            }
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            return true
        }
    }
}
