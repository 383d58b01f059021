import Synchronization

/// Random 64-bit words for trace IDs, span IDs and event IDs without a system call each:
/// SplitMix64 over one atomic counter, seeded once from the system's generator. Every call gets
/// a distinct counter value, so concurrent callers never share an ID, and the mixing makes the
/// bits as uniform as W3C Trace Context asks of random IDs. Not for secrets.
enum FastRandom {
    private static let counter: Atomic<UInt64> = {
        var system = SystemRandomNumberGenerator()
        return Atomic(system.next())
    }()

    /// The next word; never zero, since an all-zero W3C ID is invalid.
    static func next() -> UInt64 {
        let word = mix(counter.wrappingAdd(weylStep, ordering: .relaxed).newValue)
        return word == 0 ? 1 : word
    }

    /// SplitMix64's step between states: the golden ratio in 64 bits.
    static let weylStep: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// SplitMix64's finaliser: a bijection that spreads every input bit over the output. Every
    /// SplitMix64 in MeshKit (this one, each balancer's, the hash ring's) mixes with it.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var word = value
        word = (word ^ (word >> 30)) &* 0xBF58_476D_1CE4_E5B9
        word = (word ^ (word >> 27)) &* 0x94D0_49BB_1331_11EB
        return word ^ (word >> 31)
    }
}

extension FastRandom {
    /// A `RandomNumberGenerator` over ``FastRandom/next()``, for the rolls on a call's path
    /// (weighted routes, fault and mirror percentages, retry jitter, trace sampling), which must
    /// not cost a system call each as `SystemRandomNumberGenerator` does.
    struct Generator: RandomNumberGenerator {
        mutating func next() -> UInt64 { FastRandom.next() }
    }
}
