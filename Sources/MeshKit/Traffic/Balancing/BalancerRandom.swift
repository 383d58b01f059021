import Synchronization

/// The random words of one balancer: SplitMix64 over a per-balancer Weyl sequence, about a
/// nanosecond a word and no system call.
///
/// The state is advanced with a relaxed load and store rather than a locked read-modify-write:
/// two threads racing may draw the same word once, which only skews one pick, and in exchange a
/// draw costs no atomic instruction. Not for secrets.
final class BalancerRandom: Sendable {
    private let state: Atomic<UInt64>

    /// A generator seeded from the system's generator, or from `seed` for reproducible tests.
    init(seed: UInt64? = nil) {
        var system = SystemRandomNumberGenerator()
        state = Atomic(seed ?? system.next())
    }

    /// The next word.
    @inline(__always)
    func next() -> UInt64 {
        let advanced = state.load(ordering: .relaxed) &+ FastRandom.weylStep
        state.store(advanced, ordering: .relaxed)
        return FastRandom.mix(advanced)
    }

    /// An index below `count` from 32 random bits, by multiply and shift (no division); `count`
    /// must be below 2³².
    @inline(__always)
    static func index(_ bits: UInt32, below count: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bits) &* UInt64(truncatingIfNeeded: count)) >> 32)
    }
}
