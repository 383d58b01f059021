/// A set of policy indices that iterates in ascending order: the candidates
/// ``PolicyPathIndex`` finds for one request. The first 256 indices live inline, so a set of up
/// to 256 policies allocates nothing.
struct PolicyCandidates: Sequence, IteratorProtocol {
    private var inline: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var overflow: [UInt64]
    private var word = 0

    /// An empty set for indices below `count`.
    init(count: Int) {
        overflow = count > 256 ? Array(repeating: 0, count: (count - 256 + 63) / 64) : []
    }

    /// Adds each index of `list`.
    mutating func insert(_ list: [Int]?) {
        guard let list else { return }
        for index in list {
            let bit: UInt64 = 1 << UInt64(index & 63)
            switch index >> 6 {
            case 0: inline.0 |= bit
            case 1: inline.1 |= bit
            case 2: inline.2 |= bit
            case 3: inline.3 |= bit
            case let word: overflow[word - 4] |= bit
            }
        }
    }

    /// The smallest index left, removed from the set.
    mutating func next() -> Int? {
        while word < 4 + overflow.count {
            let bits = self[word]
            if bits != 0 {
                self[word] = bits & (bits - 1)
                return word << 6 | bits.trailingZeroBitCount
            }
            word += 1
        }
        return nil
    }

    private subscript(word: Int) -> UInt64 {
        get {
            switch word {
            case 0: inline.0
            case 1: inline.1
            case 2: inline.2
            case 3: inline.3
            default: overflow[word - 4]
            }
        }
        set {
            switch word {
            case 0: inline.0 = newValue
            case 1: inline.1 = newValue
            case 2: inline.2 = newValue
            case 3: inline.3 = newValue
            default: overflow[word - 4] = newValue
            }
        }
    }
}
