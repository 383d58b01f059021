import Synchronization

/// A retry budget in the style of Finagle and Linkerd: retries may add at most a fixed ratio of
/// extra load on top of the calls made, plus a small floor so that low-traffic clients can retry.
///
/// Every logical call deposits with ``recordRequest()`` (once, however many attempts it makes);
/// each retry asks ``tryWithdraw()``. Over the sliding ``Configuration/window``, a retry is allowed
/// while
///
///     retries < minRetriesPerSecond × window seconds + ratio × requests
///
/// The window is kept as ten buckets, each a tenth of the window long; buckets older than the
/// window are dropped by clock time, so the budget recovers as the window slides.
public final class RetryBudget: Sendable {
    /// How generous a ``RetryBudget`` is.
    public struct Configuration: Sendable, Hashable {
        /// The fraction of requests that may be retried on top of the floor (Linkerd's default 0.2).
        public var ratio: Double
        /// Retries per second always allowed, even with no traffic (Linkerd's default 10).
        public var minRetriesPerSecond: Int
        /// How far back requests and retries are counted (Linkerd's default 10 seconds).
        public var window: Duration

        /// Creates a configuration.
        public init(ratio: Double = 0.2, minRetriesPerSecond: Int = 10, window: Duration = .seconds(10)) {
            self.ratio = ratio
            self.minRetriesPerSecond = minRetriesPerSecond
            self.window = window
        }

        /// A ratio of 0.2, 10 retries per second, over a 10-second window.
        public static let `default` = Configuration()
    }

    private static let bucketCount = 10

    private let ratio: Double
    private let floor: Double
    /// A bucket's length in nanoseconds.
    private let bucketWidth: Int64
    private let clock: MonotonicClock
    private let window: Mutex<Window>

    /// Creates an empty budget.
    public init(_ configuration: Configuration = .default, clock: MonotonicClock = .system) {
        let windowSeconds = Double(configuration.window.attoseconds) / 1e18
        self.ratio = max(0, configuration.ratio)
        self.floor = Double(max(0, configuration.minRetriesPerSecond)) * windowSeconds
        self.bucketWidth = max(1, Int64(clamping: configuration.window.attoseconds / 1_000_000_000 / Int128(Self.bucketCount)))
        self.clock = clock
        self.window = Mutex(Window(bucketCount: Self.bucketCount))
    }

    /// Counts one logical call.
    public func recordRequest() {
        let slot = currentSlot()
        window.withLock { window in
            let index = window.slide(to: slot)
            window.buckets[index].requests += 1
            window.requests += 1
        }
    }

    /// Asks to retry: returns `true`, and counts the retry, when the budget allows one.
    public func tryWithdraw() -> Bool {
        let slot = currentSlot()
        let (ratio, floor) = (ratio, floor)
        return window.withLock { window in
            let index = window.slide(to: slot)
            guard Double(window.retries) < floor + ratio * Double(window.requests) else { return false }
            window.buckets[index].retries += 1
            window.retries += 1
            return true
        }
    }

    /// How many retries the budget allows now (fractional; zero when exhausted).
    ///
    /// A retry is allowed while the balance is above zero.
    public var balance: Double {
        let slot = currentSlot()
        let (retries, requests) = window.withLock { window in
            _ = window.slide(to: slot)
            return (window.retries, window.requests)
        }
        return max(0, floor + ratio * Double(requests) - Double(retries))
    }

    /// The index of the bucket-wide time slot the clock is in.
    private func currentSlot() -> Int64 {
        clock.nanoseconds() / bucketWidth
    }
}

extension RetryBudget {
    private struct Bucket: Sendable {
        var requests = 0
        var retries = 0
    }

    /// The buckets of the sliding window, with running totals, only touched under the lock.
    private struct Window: Sendable {
        var buckets: [Bucket]
        /// The newest slot the window has seen; buckets hold slots `newest - count + 1 ... newest`.
        var newest: Int64 = 0
        var requests = 0
        var retries = 0

        init(bucketCount: Int) {
            buckets = Array(repeating: Bucket(), count: bucketCount)
        }

        func index(of slot: Int64) -> Int {
            let count = Int64(buckets.count)
            return Int((slot % count + count) % count)
        }

        /// Drops the buckets that have left the window by the time of `slot`, and returns the index
        /// of the bucket to count in (the newest one, when `slot` was read before a newer one).
        mutating func slide(to slot: Int64) -> Int {
            guard slot > newest else { return index(of: newest) }
            var dropped = max(newest + 1, slot - Int64(buckets.count) + 1)
            while dropped <= slot {
                let index = index(of: dropped)
                requests -= buckets[index].requests
                retries -= buckets[index].retries
                buckets[index] = Bucket()
                dropped += 1
            }
            newest = slot
            return index(of: slot)
        }
    }
}
