/// The ring of a ``RingHashLoadBalancer`` over one ``HostSet``: each host at
/// ⌈`minimumSize` / hosts⌉ points, as Envoy places equally weighted hosts, sorted by position.
///
/// Positions hash the host's origin (`scheme://host:port`) with a fixed function, so every
/// process, and every restart, builds the same ring for the same hosts and sends a key to the
/// same host.
final class HashRing: Sendable {
    /// Envoy's largest ring.
    static let maximumSize = 8 * 1024 * 1024

    /// The minimum size the ring was built for.
    let minimumSize: Int
    /// The positions, ascending.
    private let positions: [UInt64]
    /// The index in the host set of the host at each position.
    private let owners: [Int32]

    /// Builds the ring of `hosts`, which must not be empty.
    init(hosts: HostSet, minimumSize: Int) {
        self.minimumSize = minimumSize
        let count = hosts.count
        let target = min(Self.maximumSize, max(1, minimumSize))
        let perHost = max(1, (target + count - 1) / count)
        var points: [(position: UInt64, owner: Int32)] = []
        points.reserveCapacity(perHost * count)
        for (index, host) in hosts.hosts.enumerated() {
            let base = TrafficHash.hash(host.endpoint.origin)
            for replica in 0..<perHost {
                let position = FastRandom.mix(base &+ UInt64(replica) &* FastRandom.weylStep)
                points.append((position, Int32(truncatingIfNeeded: index)))
            }
        }
        points.sort { $0.position < $1.position || ($0.position == $1.position && $0.owner < $1.owner) }
        positions = points.map(\.position)
        owners = points.map(\.owner)
    }

    /// The number of points.
    var size: Int { positions.count }

    /// The index of the host owning `key`: the first point at or after it, wrapping around.
    func owner(of key: UInt64) -> Int {
        positions.withUnsafeBufferPointer { positions in
            var low = 0
            var high = positions.count
            while low < high {
                let middle = (low + high) >> 1
                if positions[middle] < key { low = middle + 1 } else { high = middle }
            }
            return Int(owners[low == positions.count ? 0 : low])
        }
    }
}

/// The fixed 64-bit hash of traffic management: FNV-1a over the UTF-8 bytes, then SplitMix64's
/// finaliser to spread FNV's weak high bits. The same in every process.
enum TrafficHash {
    static func hash(_ value: some StringProtocol) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in value.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return FastRandom.mix(hash)
    }
}
