import CCurl

/// `curl_global_init`, run once per process before the first handle is made.
enum CurlGlobal {
    /// Whether libcurl initialised; reading it the first time runs `curl_global_init`.
    static let isInitialised: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

extension CurlGlobal {
    /// libcurl before 8.0 fails the second request on a reused cleartext HTTP/2 (prior
    /// knowledge) connection with "Error in the HTTP2 framing layer" (curl/curl#10634; seen
    /// here with 7.88.1 against nginx 1.22). With such a libcurl, h2c transfers do not reuse
    /// connections.
    static let isH2CReuseBroken: Bool = {
        guard let info = curl_version_info(CURLVERSION_FIRST) else { return true }
        return info.pointee.version_num < 0x08_00_00
    }()
}

extension CurlGlobal {
    /// libcurl's built-in CA file and folder (`CURLINFO_CAINFO`, `CURLINFO_CAPATH`): the
    /// system's trust, which a handle that once trusted a bundle of its own is given back.
    struct DefaultTrust: Sendable {
        var file: String?
        var folder: String?
    }

    /// The built-in trust, read once from a new handle.
    static let defaultTrust: DefaultTrust = {
        guard isInitialised, let easy = curl_easy_init() else { return DefaultTrust() }
        defer { curl_easy_cleanup(easy) }
        func path(_ info: CURLINFO) -> String? {
            var value: UnsafeMutableRawPointer?
            guard meshkit_curl_easy_getinfo_pointer(easy, info, &value) == CURLE_OK, let value else { return nil }
            return String(cString: value.assumingMemoryBound(to: CChar.self))
        }
        return DefaultTrust(file: path(CURLINFO_CAINFO), folder: path(CURLINFO_CAPATH))
    }()
}
