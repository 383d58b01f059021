public import HTTPTypes

/// What authorization knows of one inbound request: the caller's verified identity (from its
/// mTLS certificate; `nil` for a plaintext caller), its address, and the request itself.
///
/// Only a verified certificate may fill ``principal``, ``namespace``, ``trustDomain`` and
/// ``callerAppID``: never a request header, which any caller can write.
public struct AuthorizationRequest: Sendable {
    /// The caller's Istio principal, `<trust domain>/ns/<namespace>/sa/<service account>`
    /// (or, for a Dapr identity, `<trust domain>/ns/<namespace>/<app id>`).
    public var principal: String?
    /// The caller's namespace, from its identity.
    public var namespace: String?
    /// The caller's trust domain, from its identity.
    public var trustDomain: String?
    /// The caller's app ID, from its identity (Dapr's form), which Dapr's `accessControl` matches.
    public var callerAppID: String?
    /// The caller's IP address, IPv4 or IPv6.
    public var sourceIP: String?
    /// The HTTP method, such as `GET`.
    public var method: String
    /// The normalized path (``AuthorizationPath/normalize(_:)``), such as `/api/products/1`.
    public var path: String
    /// The port the request arrived on.
    public var port: Int?
    /// The `Host` header.
    public var host: String?
    /// The request headers.
    public var headers: HTTPFields

    /// Creates a request.
    public init(
        principal: String? = nil,
        namespace: String? = nil,
        trustDomain: String? = nil,
        callerAppID: String? = nil,
        sourceIP: String? = nil,
        method: String,
        path: String,
        port: Int? = nil,
        host: String? = nil,
        headers: HTTPFields = [:]
    ) {
        self.principal = principal
        self.namespace = namespace
        self.trustDomain = trustDomain
        self.callerAppID = callerAppID
        self.sourceIP = sourceIP
        self.method = method
        self.path = path
        self.port = port
        self.host = host
        self.headers = headers
    }

    /// Fills the caller's identity from a verified SPIFFE ID: Istio's form,
    /// `spiffe://<td>/ns/<ns>/sa/<sa>` (the app ID is the service account), or Dapr's,
    /// `spiffe://<td>/ns/<ns>/<app id>`. Returns `false`, and fills nothing, for any other text.
    @discardableResult
    public mutating func setPeer(spiffeID: String) -> Bool {
        guard spiffeID.hasPrefix("spiffe://") else { return false }
        let parts = spiffeID.dropFirst("spiffe://".count).split(separator: "/", omittingEmptySubsequences: false)
        let appID: Substring
        switch parts.count {
        case 5 where parts[1] == "ns" && parts[3] == "sa": appID = parts[4]
        case 4 where parts[1] == "ns": appID = parts[3]
        default: return false
        }
        guard parts.allSatisfy({ !$0.isEmpty }) else { return false }
        principal = String(spiffeID.dropFirst("spiffe://".count))
        trustDomain = String(parts[0])
        namespace = String(parts[2])
        callerAppID = String(appID)
        return true
    }
}
