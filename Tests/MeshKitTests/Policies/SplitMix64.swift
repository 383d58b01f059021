@testable import MeshKit

/// A small deterministic random number generator (Vigna's SplitMix64), for repeatable rolls.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= FastRandom.weylStep
        return FastRandom.mix(state)
    }
}
