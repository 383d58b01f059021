/// A workload's SPIFFE ID, the URI SAN of its X.509-SVID, in either of the two forms a mesh
/// uses:
///
/// - Istio's, `spiffe://<trust domain>/ns/<namespace>/sa/<service account>`;
/// - Dapr's, `spiffe://<trust domain>/ns/<namespace>/<app id>` (what Dapr's Sentry issues).
///
/// Authorization matches the ``principal``, which is always in Istio's form,
/// `<trust domain>/ns/<namespace>/sa/<service account>`. For a Dapr-form ID the app ID stands
/// in for the service account, so `spiffe://public/ns/default/order-service` has the principal
/// `public/ns/default/sa/order-service`: an Istio `AuthorizationPolicy` that names the
/// principal of an app's service account matches the Dapr app of the same name.
///
/// Parsing follows the SPIFFE ID specification: the scheme is `spiffe` (case-insensitive), the
/// trust domain is lower-case letters, digits, `.`, `-` and `_`, with no port, user info, query
/// or fragment, and no path segment is empty, `.` or `..`.
public struct SPIFFEID: Sendable, Hashable, CustomStringConvertible {
    /// Which of the two path layouts an ID uses.
    public enum Form: Sendable, Hashable {
        /// `/ns/<namespace>/sa/<service account>`.
        case istio
        /// `/ns/<namespace>/<app id>`.
        case dapr
    }

    /// The trust domain, such as `cluster.local` or Dapr's `public`.
    public let trustDomain: String
    /// The namespace.
    public let namespace: String
    /// The service account, for an Istio-form ID.
    public let serviceAccount: String?
    /// The app ID, for a Dapr-form ID.
    public let appID: String?

    /// Creates an Istio-form ID, `spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>`.
    public init(trustDomain: String, namespace: String, serviceAccount: String) throws(MeshError) {
        try self.init(parsing: "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(serviceAccount)")
    }

    /// Creates a Dapr-form ID, `spiffe://<trustDomain>/ns/<namespace>/<appID>`.
    public init(trustDomain: String, namespace: String, appID: String) throws(MeshError) {
        try self.init(parsing: "spiffe://\(trustDomain)/ns/\(namespace)/\(appID)")
    }

    /// Parses `uri`; throws ``MeshError/Code/invalidConfiguration`` saying what is wrong when
    /// it is not a SPIFFE ID of either form.
    public init(parsing uri: String) throws(MeshError) {
        func invalid(_ reason: String) -> MeshError {
            MeshError(.invalidConfiguration, "'\(uri)' is not a workload SPIFFE ID: \(reason)")
        }
        let scheme = "spiffe://"
        guard uri.count > scheme.count, uri.prefix(scheme.count).lowercased() == scheme else {
            throw invalid("it does not start with spiffe://")
        }
        let rest = uri.dropFirst(scheme.count)
        guard let slash = rest.firstIndex(of: "/") else { throw invalid("it has no path") }
        let domain = String(rest[..<slash])
        guard !domain.isEmpty, domain.utf8.allSatisfy(Self.isTrustDomainByte) else {
            throw invalid("the trust domain must be lower-case letters, digits, '.', '-' and '_'")
        }
        let segments = rest[rest.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for segment in segments {
            guard !segment.isEmpty, segment != ".", segment != ".." else { throw invalid("a path segment is empty, '.' or '..'") }
            guard segment.utf8.allSatisfy(Self.isPathByte) else {
                throw invalid("a path segment holds a character other than letters, digits, '.', '-' and '_'")
            }
        }
        switch segments.count {
        case 4 where segments[0] == "ns" && segments[2] == "sa":
            self.serviceAccount = segments[3]
            self.appID = nil
        case 3 where segments[0] == "ns":
            self.serviceAccount = nil
            self.appID = segments[2]
        default:
            throw invalid("the path is neither /ns/<namespace>/sa/<service account> nor /ns/<namespace>/<app id>")
        }
        self.trustDomain = domain
        self.namespace = segments[1]
    }

    /// Which form the ID has.
    public var form: Form { serviceAccount == nil ? .dapr : .istio }

    /// The service account for Istio's form, the app ID for Dapr's: the workload's name.
    public var workloadName: String { serviceAccount ?? appID ?? "" }

    /// The principal authorization matches, in Istio's form,
    /// `<trust domain>/ns/<namespace>/sa/<service account>`; a Dapr-form ID's app ID stands in
    /// for the service account.
    public var principal: String { "\(trustDomain)/ns/\(namespace)/sa/\(workloadName)" }

    /// The ID as a URI, as it appears in a certificate's URI SAN.
    public var uri: String {
        switch form {
        case .istio: "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(workloadName)"
        case .dapr: "spiffe://\(trustDomain)/ns/\(namespace)/\(workloadName)"
        }
    }

    public var description: String { uri }

    private static func isTrustDomainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"),
            UInt8(ascii: "_"):
            true
        default: false
        }
    }

    private static func isPathByte(_ byte: UInt8) -> Bool {
        isTrustDomainByte(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
