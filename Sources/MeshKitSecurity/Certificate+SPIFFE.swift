public import X509

extension Certificate {
    /// The URI SANs of the certificate that start with `spiffe://` (case-insensitive).
    public var spiffeURIs: [String] {
        guard let names = try? extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            guard case .uniformResourceIdentifier(let uri) = name, uri.lowercased().hasPrefix("spiffe://") else { return nil }
            return uri
        }
    }
}
