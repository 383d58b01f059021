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
