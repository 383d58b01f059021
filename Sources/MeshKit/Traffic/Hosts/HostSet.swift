import Synchronization

/// An immutable snapshot of the hosts of one cluster (a host name and subset), in the order the
/// resolver gave them: what a balancer picks from.
///
/// A set is built once per change (a re-resolution, an ejection, a return) and then only read,
/// so a balancer may keep state derived from it: the ring hash balancer builds its ring once per
/// set, on first use.
public final class HostSet: Sendable {
    /// The hosts.
    public let hosts: [UpstreamHost]
    /// The ring of ``RingHashLoadBalancer``, built on first use.
    let ring = AtomicLazyReference<HashRing>()

    /// Creates a set of `hosts`.
    public init(_ hosts: [UpstreamHost]) {
        self.hosts = hosts
    }

    /// The number of hosts.
    public var count: Int { hosts.count }

    /// Whether the set has no host.
    public var isEmpty: Bool { hosts.isEmpty }

    /// The host at `index`.
    public subscript(index: Int) -> UpstreamHost { hosts[index] }

    /// A set with no host.
    public static let empty = HostSet([])
}
