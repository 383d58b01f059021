import Foundation

/// What one transfer under a DestinationRule's `tls.mode` `SIMPLE` or `MUTUAL` presents and
/// expects: files of the rule's own, never the mesh's workload credentials, and the server's
/// host name or `subjectAltNames` instead of a SPIFFE ID.
struct OriginatedTLS: Sendable {
    /// `caCertificates`: the bundle the server's chain must verify against; `nil` trusts
    /// ``defaultTrustFile`` and libcurl's default CA folder.
    let caCertificates: PEMFileCache.File?
    /// The CA file trusted without `caCertificates`: the transport's `trustedCertificatesPath`,
    /// else libcurl's built-in bundle (the system's).
    let defaultTrustFile: String?
    /// Under `MUTUAL`, `clientCertificate` and `privateKey`, presented to the server.
    let client: (certificate: PEMFileCache.File, privateKey: PEMFileCache.File)?
    /// `sni`, when it is not the endpoint's host: the name in the URL (so the name SNI sends,
    /// libcurl verifies and the `Host` header carries), while the transfer connects to the
    /// endpoint's host and port (``connectTo``).
    let serverName: String?
    /// libcurl's `CURLOPT_CONNECT_TO` entry that sends ``serverName``'s connections to the
    /// endpoint: `name:port:host:port`.
    let connectTo: String?
    /// `subjectAltNames`: when not empty, the server's certificate must carry one of them as a
    /// DNS, URI or IP SAN, checked before any request byte is sent, in place of libcurl's host
    /// name check.
    let subjectAltNames: [String]
    /// Where the files are read, on the engine thread.
    let files: PEMFileCache

    /// The bytes of the files, read (or taken from the cache) on the engine thread as the
    /// transfer starts.
    struct Material {
        var trustBundle: Data?
        var certificate: Data?
        var privateKey: Data?
    }

    /// Reads the files; throws ``HTTPTransportError/Code/tlsFileUnusable`` naming the first one
    /// that cannot be used.
    func material() throws(HTTPTransportError) -> Material {
        var material = Material()
        if let caCertificates { material.trustBundle = try files.bytes(of: caCertificates) }
        if let client {
            material.certificate = try files.bytes(of: client.certificate)
            material.privateKey = try files.bytes(of: client.privateKey)
        }
        return material
    }

    /// Whether libcurl checks the server's host name (`CURLOPT_SSL_VERIFYHOST` 2): unless
    /// `subjectAltNames` replace it.
    var verifiesHostName: Bool { subjectAltNames.isEmpty }

    /// Why the server's certificate, carrying `presented`, is refused; `nil` when it carries one
    /// of `subjectAltNames` (or none are required).
    func refusal(of presented: [PeerSubjectAltNames.Name]) -> String? {
        guard !subjectAltNames.isEmpty else { return nil }
        if presented.contains(where: { name in subjectAltNames.contains { name.matches($0) } }) { return nil }
        let carried = presented.isEmpty ? "no DNS, URI or IP SAN" : presented.map(\.description).joined(separator: ", ")
        return "the server's certificate carries none of the DestinationRule's tls.subjectAltNames "
            + "(\(subjectAltNames.joined(separator: ", "))), only \(carried); nothing was sent"
    }
}
