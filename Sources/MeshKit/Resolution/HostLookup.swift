/// How a host name becomes addresses. ``system`` calls `getaddrinfo` on a thread MeshKit
/// owns, never on Swift's cooperative pool; tests can give their own function.
public struct HostLookup: Sendable {
    private let lookup: @Sendable (String) async throws -> [String]

    /// A lookup that calls `lookup`, which returns numeric addresses.
    public init(_ lookup: @escaping @Sendable (String) async throws -> [String]) {
        self.lookup = lookup
    }

    /// `getaddrinfo`, run on the module's resolver thread.
    public static let system = HostLookup { host in try await HostLookupThread.shared.lookup(host) }

    /// The numeric addresses of `host`, IPv4 first.
    public func addresses(of host: String) async throws -> [String] {
        try await lookup(host)
    }
}
