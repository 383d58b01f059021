import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps a libcurl result code to the ``HTTPTransportError`` kind a policy can act on.
enum CurlFailure {
    /// The error for `code`; `socketErrno` is the `errno` of a `socket()` call that failed, or 0.
    static func error(
        for code: CURLcode,
        handle: UnsafeMutableRawPointer,
        socketErrno: Int32,
        url: String,
        timeout: Duration
    ) -> HTTPTransportError {
        let curlCode = Int(code.rawValue)
        let reason = String(cString: curl_easy_strerror(code))
        if socketErrno != 0 {
            let cause = String(cString: strerror(socketErrno))
            let kind: HTTPTransportError.Code = exhaustionErrnos.contains(socketErrno) ? .localResourcesExhausted : .transportFailed
            return HTTPTransportError(kind, "no socket could be opened: \(cause) (errno \(socketErrno))", url: url, curlCode: curlCode)
        }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPTransportError(.dnsFailure, "the host name did not resolve: \(reason)", url: url, curlCode: curlCode)
        case CURLE_COULDNT_CONNECT:
            var osErrno = 0
            _ = meshkit_curl_easy_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
            if osErrno == Int(ECONNREFUSED) {
                return HTTPTransportError(.connectionRefused, "the connection was refused", url: url, curlCode: curlCode)
            }
            if exhaustionErrnos.contains(Int32(osErrno)) {
                let cause = String(cString: strerror(Int32(osErrno)))
                return HTTPTransportError(
                    .localResourcesExhausted,
                    "the connection could not be made: \(cause) (errno \(osErrno))",
                    url: url,
                    curlCode: curlCode
                )
            }
            return HTTPTransportError(.connectFailed, "the connection failed: \(reason) (errno \(osErrno))", url: url, curlCode: curlCode)
        case CURLE_OPERATION_TIMEDOUT:
            // Zero request bytes issued means the request never left: the connect (or TLS
            // handshake) timed out. A reused connection reports a zero connect time, so the
            // request size is the signal that keeps a sent request from counting as safe to retry.
            var requestSize = 0
            _ = meshkit_curl_easy_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestSize)
            if requestSize == 0 {
                return HTTPTransportError(
                    .connectTimeout,
                    "no connection was made, or became free, within the timeout",
                    url: url,
                    curlCode: curlCode
                )
            }
            return HTTPTransportError(.timeout, "no complete response within \(timeout)", url: url, curlCode: curlCode)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return HTTPTransportError(
                .connectionReset,
                "the connection broke before the response was complete: \(reason)",
                url: url,
                curlCode: curlCode
            )
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED:
            return HTTPTransportError(.tlsFailure, "TLS failed: \(reason)", url: url, curlCode: curlCode)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT:
            return HTTPTransportError(.invalidRequest, "the request cannot be sent: \(reason)", url: url, curlCode: curlCode)
        default:
            return HTTPTransportError(.transportFailed, reason, url: url, curlCode: curlCode)
        }
    }

    /// `errno` values that say this process or machine ran out of something (descriptors,
    /// memory for socket buffers), not that the peer cannot be reached. `EADDRNOTAVAIL` is not
    /// one: it also means an address family the host has no address of, such as `::1` with
    /// IPv6 off.
    private static let exhaustionErrnos: Set<Int32> = [EMFILE, ENFILE, ENOBUFS, ENOMEM]
}
