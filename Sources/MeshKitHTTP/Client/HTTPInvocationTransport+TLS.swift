import MeshKit

extension HTTPInvocationTransport {
    /// What a call to `appID` at `endpoint` presents and expects under a DestinationRule's `tls`
    /// (`nil` without one); `nil` for plaintext. Under mTLS, a plaintext endpoint is called over
    /// HTTPS when ``MutualTLS/upgradesPlaintextEndpoints`` says so, and always under
    /// `ISTIO_MUTUAL`, `SIMPLE` and `MUTUAL`.
    func tls(for appID: String, at endpoint: inout Endpoint, policy: ClientTLSPolicy?) throws(MeshError) -> TransferTLS? {
        switch policy {
        case let policy? where policy.mode == .disable:
            return nil
        case let policy? where policy.mode == .simple || policy.mode == .mutual:
            endpoint.scheme = .https
            return .originated(try originatedTLS(for: appID, at: endpoint, policy))
        default:
            let mode = policy?.mode
            guard let mutualTLS = configuration.mutualTLS, let tlsMaterial else {
                guard mode == nil else {
                    throw MeshError(
                        .invalidConfiguration,
                        "the DestinationRule for '\(appID)' sets tls.mode ISTIO_MUTUAL, and the HTTP transport has no mesh "
                            + "certificates (HTTPInvocationTransport.Configuration.mutualTLS); the call was not sent in plaintext instead",
                        context: .init(subject: appID)
                    )
                }
                return nil
            }
            if mutualTLS.upgradesPlaintextEndpoints || mode == .istioMutual { endpoint.scheme = .https }
            return .mesh(try Self.meshTLS(for: appID, at: endpoint, mutualTLS, tlsMaterial))
        }
    }

    /// What an mTLS call to `appID` at `endpoint` presents and expects; see ``MutualTLS``.
    private static func meshTLS(
        for appID: String,
        at endpoint: Endpoint,
        _ mutualTLS: MutualTLS,
        _ cache: CurlTLS.MaterialCache
    ) throws(MeshError) -> CurlTLS {
        let (material, snapshot) = cache.current()
        let expected: ExpectedPeer
        if let labelled = try endpoint.expectedIdentity() {
            expected = .exact(labelled)
        } else if let configured = mutualTLS.expectedIdentities[appID] {
            expected = .exact(configured)
        } else {
            let own = snapshot.credentials.identity
            // A Dapr-style `app.namespace` app ID names its namespace.
            let parts = appID.split(separator: ".", maxSplits: 1).map(String.init)
            let namespace = parts.count == 2 ? parts[1] : (mutualTLS.namespace ?? own.namespace)
            expected = .app(trustDomain: own.trustDomain, namespace: namespace, appID: parts[0])
        }
        return CurlTLS(material: material, expected: expected, sessionResumption: mutualTLS.sessionResumption)
    }

    /// What a `SIMPLE` or `MUTUAL` call to `appID` at `endpoint` presents and expects, from the
    /// DestinationRule's `policy`; throws ``MeshKit/MeshError/Code/invalidConfiguration`` naming
    /// the app and the field when `MUTUAL` lacks its client certificate or key, or `sni` is no
    /// host name. The files are not read here but by the engine thread that runs the transfer.
    private func originatedTLS(for appID: String, at endpoint: Endpoint, _ policy: ClientTLSPolicy) throws(MeshError) -> OriginatedTLS {
        func refuse(_ field: String, _ problem: String) -> MeshError {
            MeshError(
                .invalidConfiguration,
                "the DestinationRule for '\(appID)' sets tls.mode \(policy.mode.rawValue) \(problem); the call was not sent",
                context: .init(field: "trafficPolicy.tls.\(field)", subject: appID)
            )
        }
        func file(_ path: String?, _ field: String, _ content: PEMFileCache.Content) -> PEMFileCache.File? {
            guard let path, !path.isEmpty else { return nil }
            return PEMFileCache.File(path: path, field: "tls.\(field)", content: content)
        }
        var client: (certificate: PEMFileCache.File, privateKey: PEMFileCache.File)?
        if policy.mode == .mutual {
            guard let certificate = file(policy.clientCertificate, "clientCertificate", .certificates) else {
                throw refuse("clientCertificate", "without tls.clientCertificate, the client certificate file to present")
            }
            guard let privateKey = file(policy.privateKey, "privateKey", .privateKey) else {
                throw refuse("privateKey", "without tls.privateKey, the client certificate's key file")
            }
            client = (certificate, privateKey)
        }
        var serverName: String?
        if let sni = policy.sni, !sni.isEmpty, sni.lowercased() != endpoint.host.lowercased() {
            guard Self.isHostName(sni) else {
                throw refuse("sni", "with sni '\(sni)', which is not a host name (letters, digits, '-', '_' and '.')")
            }
            serverName = sni
        }
        let connectTo = serverName.map { name in
            let host = endpoint.host.contains(":") && !endpoint.host.hasPrefix("[") ? "[\(endpoint.host)]" : endpoint.host
            return "\(name):\(endpoint.port):\(host):\(endpoint.port)"
        }
        return OriginatedTLS(
            caCertificates: file(policy.caCertificates, "caCertificates", .certificates),
            defaultTrustFile: configuration.trustedCertificatesPath ?? CurlGlobal.defaultTrust.file,
            client: client,
            serverName: serverName,
            connectTo: connectTo,
            subjectAltNames: policy.subjectAltNames,
            files: ruleFiles
        )
    }

    /// Whether `name` can stand in a URL's host and in SNI: letters, digits, `-`, `_` and dots.
    private static func isHostName(_ name: String) -> Bool {
        name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }
}
