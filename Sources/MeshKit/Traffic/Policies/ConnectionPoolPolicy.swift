/// Limits on the calls and connections to one host or subset: Istio's `ConnectionPoolSettings`.
/// A limit left `nil` is Envoy's default, which is as good as none.
public struct ConnectionPoolPolicy: Sendable, Hashable {
    /// Whether HTTP/1.1 connections are upgraded to HTTP/2: Istio's `h2UpgradePolicy`.
    public enum H2UpgradePolicy: String, Sendable, Hashable {
        /// The mesh's default (no upgrade).
        case `default` = "DEFAULT"
        /// Never upgrade.
        case doNotUpgrade = "DO_NOT_UPGRADE"
        /// Upgrade to HTTP/2 (with prior knowledge over plaintext).
        case upgrade = "UPGRADE"
    }

    /// `tcp.maxConnections`: the most connections, and so the most HTTP/1.1 calls in flight.
    public var maxConnections: Int?
    /// `tcp.connectTimeout`: how long a connection may take to open; Istio's default is 10 s.
    public var connectTimeout: Duration?
    /// `http.http1MaxPendingRequests`: the most calls that wait for a connection; past it a call
    /// fails at once with `tooManyRequests`, as Envoy's overflow 503 does.
    public var http1MaxPendingRequests: Int?
    /// `http.http2MaxRequests`: the most calls in flight at once.
    public var http2MaxRequests: Int?
    /// `http.maxRequestsPerConnection`: the most calls one connection carries; 1 turns keep-alive off.
    public var maxRequestsPerConnection: Int?
    /// `http.maxRetries`: the most retries in flight at once across the pool.
    public var maxRetries: Int?
    /// `http.idleTimeout`: how long an unused connection stays open.
    public var idleTimeout: Duration?
    /// `http.h2UpgradePolicy`.
    public var h2UpgradePolicy: H2UpgradePolicy

    /// Creates a policy; every limit defaults to none.
    public init(
        maxConnections: Int? = nil,
        connectTimeout: Duration? = nil,
        http1MaxPendingRequests: Int? = nil,
        http2MaxRequests: Int? = nil,
        maxRequestsPerConnection: Int? = nil,
        maxRetries: Int? = nil,
        idleTimeout: Duration? = nil,
        h2UpgradePolicy: H2UpgradePolicy = .default
    ) {
        self.maxConnections = maxConnections
        self.connectTimeout = connectTimeout
        self.http1MaxPendingRequests = http1MaxPendingRequests
        self.http2MaxRequests = http2MaxRequests
        self.maxRequestsPerConnection = maxRequestsPerConnection
        self.maxRetries = maxRetries
        self.idleTimeout = idleTimeout
        self.h2UpgradePolicy = h2UpgradePolicy
    }
}
