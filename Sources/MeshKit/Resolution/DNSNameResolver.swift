import Synchronization

/// A resolver that turns an app ID into a host name and resolves it with DNS, caching the
/// addresses for ``Configuration/cacheTTL`` (getaddrinfo reports no TTL).
///
/// Every address becomes one endpoint, so round robin spreads calls over them. From a Dapr
/// `Configuration`:
///
/// ```yaml
/// nameResolution:
///   component: dns
///   configuration:
///     hostFormat: "{appid}.internal"   # default "{appid}"
///     port: 3500
///     scheme: http
///     style: meshKit
///     cacheTTL: 30s
///     apps:                            # per-app overrides of host and port
///       product-service: { host: localhost, port: 3501 }
/// ```
public final class DNSNameResolver: NameResolver {
    /// How app IDs become host names and ports.
    public struct Configuration: Sendable {
        /// The host name of an app, with `{appid}` replaced by the app ID.
        public var hostFormat: String = "{appid}"
        /// The port of every app without an override.
        public var port: Int = 3500
        /// The scheme of every endpoint.
        public var scheme: Endpoint.Scheme = .http
        /// The URL style of every endpoint.
        public var style: Endpoint.Style = .meshKit
        /// How long resolved addresses are reused before the name is resolved again.
        public var cacheTTL: Duration = .seconds(30)
        /// Per-app host and port overrides.
        public var apps: [String: Override] = [:]

        /// A host and port for one app ID.
        public struct Override: Sendable, Hashable {
            /// The host name (or address) to resolve.
            public var host: String
            /// The port; `nil` keeps ``Configuration/port``.
            public var port: Int?
            /// Labels given to every endpoint of the app.
            public var labels: [String: String]

            /// Creates an override.
            public init(host: String, port: Int? = nil, labels: [String: String] = [:]) {
                self.host = host
                self.port = port
                self.labels = labels
            }
        }

        /// Creates a configuration.
        public init(
            hostFormat: String = "{appid}",
            port: Int = 3500,
            scheme: Endpoint.Scheme = .http,
            style: Endpoint.Style = .meshKit,
            cacheTTL: Duration = .seconds(30),
            apps: [String: Override] = [:]
        ) {
            self.hostFormat = hostFormat
            self.port = port
            self.scheme = scheme
            self.style = style
            self.cacheTTL = cacheTTL
            self.apps = apps
        }
    }

    private struct CacheEntry {
        var endpoints: [Endpoint]
        var expires: ContinuousClock.Instant
    }

    /// The configuration.
    public let configuration: Configuration
    private let lookup: HostLookup
    private let cache = Mutex<[String: CacheEntry]>([:])

    /// Creates a resolver; `lookup` defaults to `getaddrinfo` on the module's lookup threads (``HostLookup/system``).
    public init(configuration: Configuration = Configuration(), lookup: HostLookup = .system) {
        self.configuration = configuration
        self.lookup = lookup
    }

    public func resolve(appID: String) async throws -> [Endpoint] {
        if let known = knownEndpoints(appID: appID) { return known }
        let override = configuration.apps[appID]
        let host = override?.host ?? configuration.hostFormat.replacingAll("{appid}", with: appID)
        let port = override?.port ?? configuration.port
        let endpoints = try await lookup.addresses(of: host).map { address in
            Endpoint(host: address, port: port, scheme: configuration.scheme, style: configuration.style, labels: override?.labels ?? [:])
        }
        let entry = CacheEntry(endpoints: endpoints, expires: ContinuousClock.now.advanced(by: configuration.cacheTTL))
        cache.withLock { $0[appID] = entry }
        return endpoints
    }

    /// The addresses of `appID` while its cache entry is fresh.
    public func knownEndpoints(appID: String) -> [Endpoint]? {
        guard let cached = cache.withLock({ $0[appID] }), cached.expires > ContinuousClock.now else { return nil }
        return cached.endpoints
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
