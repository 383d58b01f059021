extension Duration {
    /// The longest duration MeshKit reads or computes: 2⁶³−1 nanoseconds (about 292 years), the
    /// range of Go's `time.Duration`.
    static let longest = Duration.nanoseconds(Int64.max)

    /// `seconds` as a duration, never trapping: NaN and negative values are zero, and values past
    /// ``longest`` are ``longest``. For durations computed from outside input, such as backoff
    /// and `Retry-After` waits.
    static func clampedSeconds(_ seconds: Double) -> Duration {
        guard seconds > 0 else { return .zero }
        let nanoseconds = seconds * 1e9
        // 2⁶³ is exactly representable; anything at or past it would trap in Int64(_:).
        guard nanoseconds < 0x1p63 else { return longest }
        return .nanoseconds(Int64(nanoseconds))
    }

    /// The duration in whole nanoseconds (truncated toward zero), saturating at `Int64`'s
    /// bounds rather than trapping: for clocks and timers that count in nanoseconds.
    package var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return sumOverflow ? (seconds < 0 ? .min : .max) : sum
    }

    /// Whole milliseconds, rounded up so that a wait is never shorter than asked, at least zero
    /// and at most `Int.max` (a huge duration saturates rather than traps): for C calls that take
    /// a timeout in milliseconds.
    package var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = Int(seconds).multipliedReportingOverflow(by: 1000)
        let fraction = Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        let (total, sumOverflow) = whole.addingReportingOverflow(fraction)
        return overflow || sumOverflow ? .max : total
    }
}
