import MeshKit

/// The identity a TLS peer must prove before a request is sent to it.
enum ExpectedPeer: Sendable, Hashable, CustomStringConvertible {
    /// Exactly this SPIFFE ID.
    case exact(SPIFFEID)
    /// Any ID in the trust domain and namespace whose service account or Dapr app ID is the
    /// app ID: Dapr's rule.
    case app(trustDomain: String, namespace: String, appID: String)

    func accepts(_ identity: SPIFFEID) -> Bool {
        switch self {
        case .exact(let expected):
            expected == identity
        case .app(let trustDomain, let namespace, let appID):
            identity.trustDomain == trustDomain && identity.namespace == namespace && identity.workloadName == appID
        }
    }

    var description: String {
        switch self {
        case .exact(let expected): expected.uri
        case .app(let trustDomain, let namespace, let appID):
            "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(appID) or spiffe://\(trustDomain)/ns/\(namespace)/\(appID)"
        }
    }
}
