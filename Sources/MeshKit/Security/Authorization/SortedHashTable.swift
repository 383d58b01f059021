/// Lists of policy indices filed under 64-bit hashes, looked up by binary search over the
/// sorted hashes: no hashing of the hash, and nothing allocated per lookup.
struct SortedHashTable: Sendable {
    private let keys: [UInt64]
    private let lists: [[Int]]

    init(_ table: [UInt64: [Int]]) {
        let sorted = table.sorted { $0.key < $1.key }
        keys = sorted.map(\.key)
        lists = sorted.map(\.value)
    }

    var isEmpty: Bool { keys.isEmpty }

    /// The list filed under `key`, if any.
    subscript(key: UInt64) -> [Int]? {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key ? lists[low] : nil
    }
}
