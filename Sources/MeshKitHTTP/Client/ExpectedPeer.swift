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

    /// Why a peer whose certificate carries `presented` is refused; `nil` when its one SPIFFE ID
    /// is accepted.
    func refusal(of presented: PeerCertificateCache.Names) -> String? {
        let identities = presented.spiffeIDs
        if identities.count == 1 && accepts(identities[0]) { return nil }
        let shown = identities.isEmpty ? "no SPIFFE ID" : identities.map(\.uri).joined(separator: ", ")
        return "the peer presented \(shown), not the expected \(self); nothing was sent"
    }

    var description: String {
        switch self {
        case .exact(let expected): expected.uri
        case .app(let trustDomain, let namespace, let appID):
            "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(appID) or spiffe://\(trustDomain)/ns/\(namespace)/\(appID)"
        }
    }
}
