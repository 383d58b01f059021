/// How a host name becomes addresses. ``system`` calls `getaddrinfo` on threads MeshKit owns,
/// never on Swift's cooperative pool; tests can give their own function.
public struct HostLookup: Sendable {
    private let lookup: @Sendable (String) async throws -> [String]

    /// A lookup that calls `lookup`, which returns numeric addresses.
    public init(_ lookup: @escaping @Sendable (String) async throws -> [String]) {
        self.lookup = lookup
    }

    /// A lookup that runs `pool`'s blocking function on the pool's threads.
    init(pool: HostLookupPool) {
        self.init { host in try await pool.addresses(of: host) }
    }

    /// `getaddrinfo`, run on a small pool of threads the process shares: at most four lookups
    /// at once, lookups of the same name shared, and a cancelled caller returns at once. The
    /// threads start on first use and end after ten idle seconds.
    public static let system = HostLookup(pool: .shared)

    /// The numeric addresses of `host`, IPv4 first.
    public func addresses(of host: String) async throws -> [String] {
        try await lookup(host)
    }
}
