import CCurl
import Foundation

extension CurlTransfer {
    /// What an easy handle is set up for, once, when it is made. The engine keeps idle handles
    /// by kind, so the TLS options one kind sets for a handle's life never reach a transfer of
    /// another kind.
    enum HandleKind: Int, Sendable, CaseIterable {
        /// Plaintext, `https` with the engine's default trust and, in an engine with mesh mTLS,
        /// mesh mTLS: the handle's TLS options are the engine's.
        case standard
        /// A DestinationRule's `SIMPLE` or `MUTUAL`: every varying TLS option is set per transfer.
        case originated
    }

    /// Sets the TLS options a handle of `kind` keeps for its life.
    ///
    /// - ``HandleKind/standard`` in an engine with mesh mTLS: the handle trusts only the bundle
    ///   each transfer sets as a blob (libcurl's default CA file and folder are cleared), checks
    ///   the peer's SPIFFE ID instead of its host name, and shares TLS sessions through `share`.
    /// - ``HandleKind/standard`` otherwise: `trustedCertificatesPath`, when set, replaces the
    ///   system's CA file.
    /// - ``HandleKind/originated``: the peer is always verified; trust, host name check, client
    ///   certificate and `CURLOPT_CONNECT_TO` come with each transfer (``attachTLS(to:)``); TLS
    ///   sessions are shared through `share`.
    static func configureTLS(
        _ handle: UnsafeMutableRawPointer,
        kind: HandleKind,
        trustedCertificatesPath: String?,
        mutualTLS: Bool,
        share: UnsafeMutableRawPointer?
    ) -> Bool {
        var ok = true
        func check(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
        switch kind {
        case .standard where mutualTLS:
            check(meshkit_curl_easy_setopt_string(handle, CURLOPT_CAINFO, nil))
            check(meshkit_curl_easy_setopt_string(handle, CURLOPT_CAPATH, nil))
            // The SPIFFE ID stands in for the host name, as in Istio: checked in `prereqCallback`.
            check(meshkit_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0))
        case .standard:
            if let trustedCertificatesPath {
                check(meshkit_curl_easy_setopt_string(handle, CURLOPT_CAINFO, trustedCertificatesPath))
            }
            return ok
        case .originated:
            break
        }
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        check(meshkit_curl_easy_setopt_string(handle, CURLOPT_SSLCERTTYPE, "PEM"))
        check(meshkit_curl_easy_setopt_string(handle, CURLOPT_SSLKEYTYPE, "PEM"))
        check(meshkit_curl_easy_setopt_prereq(handle, prereqCallback))
        if let share { check(meshkit_curl_easy_setopt_share(handle, share)) }
        return ok
    }

    /// Reads the files of an originated transfer (from the cache when unchanged), before it takes
    /// a handle; throws ``HTTPTransportError/Code/tlsFileUnusable`` naming a file that cannot be
    /// used. Runs on the engine thread.
    func readTLSFiles() throws(HTTPTransportError) {
        guard case .originated(let originated)? = request.tls else { return }
        do {
            originatedMaterial = try originated.material()
        } catch {
            throw HTTPTransportError(error.code, error.message, url: request.url)
        }
    }

    /// Sets the request's TLS options on `handle`: the blobs to present and trust (the mesh's
    /// only when the handle does not hold them already), the host name check and
    /// `CURLOPT_CONNECT_TO` of an originated transfer, and the transfer as the pre-request
    /// callback's data.
    func attachTLS(to handle: UnsafeMutableRawPointer) -> Bool {
        guard let tls = request.tls else {
            // A transfer without TLS never has the mesh's key at hand.
            if heldMaterial != nil { return meshkit_curl_easy_setopt_blob(handle, CURLOPT_SSLKEY_BLOB, nil, 0) == CURLE_OK }
            return true
        }
        var ok = true
        func check(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
        /// Sets a blob option, copied by libcurl, or clears it for `nil`.
        func blob(_ option: CURLoption, _ data: Data?) {
            guard let data else { return check(meshkit_curl_easy_setopt_blob(handle, option, nil, 0)) }
            data.withUnsafeBytes { bytes in check(meshkit_curl_easy_setopt_blob(handle, option, bytes.baseAddress, bytes.count)) }
        }
        switch tls {
        case .mesh(let mesh):
            // A standard handle keeps the mesh's credentials between transfers; they are copied
            // in again only when they rotated.
            if heldMaterial !== mesh.material {
                blob(CURLOPT_SSLCERT_BLOB, mesh.material.certificate)
                blob(CURLOPT_SSLKEY_BLOB, mesh.material.privateKey)
                blob(CURLOPT_CAINFO_BLOB, mesh.material.trustBundle)
            }
            check(meshkit_curl_easy_setopt_long(handle, CURLOPT_SSL_SESSIONID_CACHE, mesh.sessionResumption ? 1 : 0))
        case .originated(let originated):
            guard let material = originatedMaterial else { return false }
            // A bundle replaces every default: the blob overrides the CA file, not the folder.
            let bundle = material.trustBundle
            blob(CURLOPT_CAINFO_BLOB, bundle)
            check(meshkit_curl_easy_setopt_string(handle, CURLOPT_CAINFO, bundle == nil ? originated.defaultTrustFile : nil))
            check(meshkit_curl_easy_setopt_string(handle, CURLOPT_CAPATH, bundle == nil ? CurlGlobal.defaultTrust.folder : nil))
            check(meshkit_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, originated.verifiesHostName ? 2 : 0))
            blob(CURLOPT_SSLCERT_BLOB, material.certificate)
            blob(CURLOPT_SSLKEY_BLOB, material.privateKey)
            if let connectTo = originated.connectTo { connectToList = curl_slist_append(nil, connectTo) }
            check(meshkit_curl_easy_setopt_slist(handle, CURLOPT_CONNECT_TO, connectToList))
        }
        check(meshkit_curl_easy_setopt_pointer(handle, CURLOPT_PREREQDATA, Unmanaged.passUnretained(self).toOpaque()))
        return ok
    }

    /// Clears what ``attachTLS(to:)`` left in `easy` that must not outlive the transfer: the
    /// callback's data, an originated transfer's private key and its connect-to list. The mesh's
    /// own credentials stay with the handle for its next mesh transfer.
    func detachTLS(from easy: UnsafeMutableRawPointer) {
        guard let tls = request.tls else { return }
        _ = meshkit_curl_easy_setopt_pointer(easy, CURLOPT_PREREQDATA, nil)
        if case .originated = tls { _ = meshkit_curl_easy_setopt_blob(easy, CURLOPT_SSLKEY_BLOB, nil, 0) }
        if connectToList != nil { _ = meshkit_curl_easy_setopt_slist(easy, CURLOPT_CONNECT_TO, nil) }
    }

    /// The mesh credentials `easy` holds once this transfer is attached to it.
    var meshMaterial: CurlTLS.Material? {
        guard case .mesh(let mesh)? = request.tls else { return nil }
        return mesh.material
    }

    /// `error` naming the client certificate and key files, when libcurl could not use them
    /// (`CURLE_SSL_CERTPROBLEM`, such as a key that is not the certificate's).
    func namingTLSFiles(in error: HTTPTransportError, code: CURLcode) -> HTTPTransportError {
        guard code == CURLE_SSL_CERTPROBLEM, case .originated(let originated)? = request.tls, let client = originated.client else {
            return error
        }
        return HTTPTransportError(
            error.code,
            "\(error.message); the DestinationRule's \(client.certificate.field) '\(client.certificate.path)' and "
                + "\(client.privateKey.field) '\(client.privateKey.path)' could not be used together",
            url: error.url,
            curlCode: error.curlCode
        )
    }

    /// Runs after the connection is made or reused, TLS handshake included, and before any
    /// request byte is sent (libcurl's CURLOPT_PREREQFUNCTION): refuses a peer whose certificate
    /// does not carry what the transfer requires (the expected SPIFFE ID under mesh mTLS, one
    /// of the DestinationRule's `subjectAltNames` when it lists some), which aborts the transfer.
    private static let prereqCallback: curl_prereq_callback = { clientp, _, _, _, _ in
        guard let clientp else { return CURL_PREREQFUNC_OK }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(clientp).takeUnretainedValue()
        guard let tls = transfer.request.tls, let easy = transfer.easy else { return CURL_PREREQFUNC_OK }
        // The engine gives every transfer its cache; one without reads the certificate afresh,
        // so the check never depends on it.
        let certificates = transfer.peerCertificates ?? PeerCertificateCache()
        switch tls {
        case .mesh(let mesh):
            transfer.peerFailure = mesh.expected.refusal(of: certificates.names(ofPeerOf: easy))
        case .originated(let originated):
            guard !originated.verifiesHostName else { return CURL_PREREQFUNC_OK }
            transfer.peerFailure = originated.refusal(of: certificates.names(ofPeerOf: easy).subjectAltNames)
        }
        return transfer.peerFailure == nil ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT
    }
}
