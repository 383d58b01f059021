import CCurl
import Foundation
import MeshKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One request in flight on the ``CurlEngine``.
///
/// The C state (the easy handle, the header list and the response being received) is touched
/// only by the engine thread, from `attach` to `detach`; the continuation is guarded by a mutex.
final class CurlTransfer: @unchecked Sendable {
    let request: CurlRequest
    /// When the transfer times out, waiting for a connection included.
    let deadline: ContinuousClock.Instant
    private let completion = Mutex<Completion>(.init())

    private struct Completion {
        var continuation: CheckedContinuation<CurlResponse, any Error>?
        var result: Result<CurlResponse, HTTPTransportError>?
        var isCancelled = false
    }

    // Engine-thread state.
    var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The final response's header lines, raw: parsed by the caller, off the engine thread.
    private var receivedHeaders: [UInt8] = []
    private var receivedBody = Data()
    /// The `errno` of a failed `socket()` call, when libcurl could not open a socket.
    private var socketErrno: Int32 = 0
    /// Whether the write callback aborted the transfer because the body outgrew its limit.
    private var bodyTooLarge = false
    /// Why the peer was refused, when the pre-request callback aborted the transfer.
    var peerFailure: String?
    /// The engine's cache of peer certificate names, which the pre-request callback reads.
    var peerCertificates: PeerCertificateCache?
    /// The mesh credentials the handle already holds from an earlier transfer (set by the
    /// engine before ``attach(to:)``): a transfer with the same ones does not copy them again.
    var heldMaterial: CurlTLS.Material?
    /// The files of an originated (SIMPLE or MUTUAL) transfer, read by ``readTLSFiles()``.
    var originatedMaterial: OriginatedTLS.Material?
    /// The `CURLOPT_CONNECT_TO` list of an originated transfer whose `sni` is not the
    /// endpoint's host.
    var connectToList: UnsafeMutablePointer<curl_slist>?

    init(request: CurlRequest) {
        self.request = request
        self.deadline = .now + request.timeout
    }

    /// Whether the caller cancelled the transfer.
    var isCancelled: Bool { completion.withLock { $0.isCancelled } }

    /// Records the caller's continuation; resumes it at once if the transfer already finished.
    func setContinuation(_ continuation: CheckedContinuation<CurlResponse, any Error>) {
        let result: Result<CurlResponse, HTTPTransportError>? = completion.withLock { state in
            if let result = state.result { return result }
            state.continuation = continuation
            return nil
        }
        if let result { continuation.resume(with: result.mapError { $0 as any Error }) }
    }

    /// Marks the transfer cancelled; returns whether it had not finished yet.
    func markCancelled() -> Bool {
        completion.withLock { state in
            state.isCancelled = true
            return state.result == nil
        }
    }

    /// Finishes the transfer once; later calls are ignored.
    func finish(_ result: Result<CurlResponse, HTTPTransportError>) {
        let continuation: CheckedContinuation<CurlResponse, any Error>? = completion.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: result.mapError { $0 as any Error })
    }

    // MARK: Engine thread

    /// Sets the options every request on a handle of `kind` shares, once per handle: handles are
    /// reused without `curl_easy_reset`, so ``attach(to:)`` sets every option that varies on
    /// every request. Proxy environment variables are ignored (`CURLOPT_PROXY ""`): mesh traffic
    /// goes straight to the resolved endpoint, and libcurl no longer reads the environment on
    /// every request. See ``configureTLS(_:kind:trustedCertificatesPath:mutualTLS:share:)`` for
    /// the TLS options.
    static func configure(
        _ handle: UnsafeMutableRawPointer,
        kind: HandleKind,
        trustedCertificatesPath: String?,
        mutualTLS: Bool,
        share: UnsafeMutableRawPointer?
    ) -> Bool {
        var ok = configureTLS(handle, kind: kind, trustedCertificatesPath: trustedCertificatesPath, mutualTLS: mutualTLS, share: share)
        func check(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        check(meshkit_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(meshkit_curl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        check(meshkit_curl_easy_setopt_string(handle, CURLOPT_PROXY, ""))
        check(meshkit_curl_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION, writeCallback))
        check(meshkit_curl_easy_setopt_callback(handle, CURLOPT_HEADERFUNCTION, headerCallback))
        check(meshkit_curl_easy_setopt_opensocket(handle, openSocketCallback))
        // Per request on a kept-alive TLS connection, libcurl copies the request into its upload
        // buffer (64 KB by default, allocated and freed per transfer: large enough that each free
        // consolidates and trims the heap) and OpenSSL frees its record buffers. A TLS record
        // holds at most 16 KB, so the smallest upload buffer libcurl allows sends as much per
        // write, and the record buffers stay with their connection.
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_UPLOAD_BUFFERSIZE, 16 * 1024))
        check(meshkit_curl_easy_keep_tls_buffers(handle))
        return ok
    }

    /// Configures a handle that ``configure(_:kind:trustedCertificatesPath:mutualTLS:share:)``
    /// prepared for this request's ``CurlRequest/handleKind``, after ``readTLSFiles()``.
    func attach(to handle: UnsafeMutableRawPointer) -> Bool {
        easy = handle
        let me = Unmanaged.passUnretained(self).toOpaque()
        var ok = true
        func check(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
        check(meshkit_curl_easy_setopt_string(handle, CURLOPT_URL, request.url))
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)))
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)))
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, request.httpVersion.curlValue))
        let isH2CWithBrokenReuse = request.httpVersion == .http2PriorKnowledge && CurlGlobal.isH2CReuseBroken
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_FRESH_CONNECT, isH2CWithBrokenReuse ? 1 : 0))
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_FORBID_REUSE, isH2CWithBrokenReuse || !request.reusesConnections ? 1 : 0))
        // libcurl's default is 118 seconds; a DestinationRule's idleTimeout replaces it.
        let maxIdleSeconds = request.maxIdleTime.map { max(1, Int($0.components.seconds)) } ?? 118
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_MAXAGE_CONN, maxIdleSeconds))
        // Wait for a connection being made to the same peer when it will multiplex HTTP/2
        // streams, rather than opening another one.
        let multiplexes =
            !isH2CWithBrokenReuse
            && (request.httpVersion == .http2PriorKnowledge || (request.httpVersion == .negotiated && request.url.hasPrefix("https:")))
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_PIPEWAIT, multiplexes ? 1 : 0))
        // libcurl checks a declared Content-Length against the limit before any body byte, even
        // for HEAD, whose Content-Length describes a body that never comes.
        let isHead = request.method == "HEAD"
        check(meshkit_curl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, isHead ? 0 : curl_off_t(request.maxResponseBodySize)))
        // Back to a plain GET first, whatever the handle's previous request was.
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_NOBODY, 0))
        check(meshkit_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1))
        check(meshkit_curl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, nil))
        if request.sendsBody {
            check(meshkit_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            // COPYPOSTFIELDS copies the bytes, so the body outlives nothing and a retry can send
            // the same `Data` again.
            request.body.withUnsafeBytes { bytes in
                if let pointer = bytes.baseAddress.map({ UnsafeMutableRawPointer(mutating: $0) }) {
                    check(meshkit_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, pointer))
                } else {
                    check(meshkit_curl_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""))
                }
            }
            if request.method != "POST" {
                check(meshkit_curl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
            }
        } else if isHead {
            check(meshkit_curl_easy_setopt_long(handle, CURLOPT_NOBODY, 1))
        } else if request.method != "GET" {
            check(meshkit_curl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
        }
        for line in request.headerLines {
            headerList = curl_slist_append(headerList, line)
        }
        check(meshkit_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        check(meshkit_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me))
        check(meshkit_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me))
        check(meshkit_curl_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, me))
        if !attachTLS(to: handle) { ok = false }
        return ok
    }

    /// The response, once libcurl reports the transfer done with `code`.
    func result(for code: CURLcode) -> Result<CurlResponse, HTTPTransportError> {
        guard let easy else { return .failure(HTTPTransportError(.transportFailed, "the transfer has no handle", url: request.url)) }
        if let peerFailure {
            return .failure(HTTPTransportError(.peerIdentityMismatch, peerFailure, url: request.url, curlCode: Int(code.rawValue)))
        }
        if bodyTooLarge || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(
                HTTPTransportError(
                    .responseTooLarge,
                    "the response body is larger than the \(request.maxResponseBodySize) bytes accepted; the transfer was aborted",
                    url: request.url,
                    curlCode: Int(code.rawValue)
                )
            )
        }
        guard code == CURLE_OK else {
            let error = CurlFailure.error(for: code, handle: easy, socketErrno: socketErrno, url: request.url, timeout: request.timeout)
            return .failure(namingTLSFiles(in: error, code: code))
        }
        var status = 0
        _ = meshkit_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(CurlResponse(status: status, rawHeaders: receivedHeaders, body: receivedBody))
    }

    /// Releases what `attach` allocated and forgets the handle, which keeps no pointer into it.
    func detach() {
        if let easy {
            // Setting CURLOPT_COPYPOSTFIELDS to NULL frees the handle's copy of the body, which
            // an idle handle would otherwise keep until its next request with a body.
            if request.sendsBody { _ = meshkit_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, nil) }
            _ = meshkit_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, nil)
            _ = meshkit_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, nil)
            _ = meshkit_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, nil)
            _ = meshkit_curl_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, nil)
            detachTLS(from: easy)
        }
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        if let connectToList { curl_slist_free_all(connectToList) }
        connectToList = nil
        originatedMaterial = nil
        easy = nil
        receivedHeaders = []
        receivedBody = Data()
        socketErrno = 0
        bodyTooLarge = false
        peerFailure = nil
    }

    /// A timeout for libcurl: whole milliseconds, rounded up and saturating, at least 1 (0 would
    /// mean none).
    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, duration.wholeMilliseconds)
    }

    private static let writeCallback: meshkit_curl_data_callback = { buffer, size, count, userdata in
        guard let buffer, let userdata else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        let limit = transfer.request.maxResponseBodySize
        if limit > 0 && transfer.receivedBody.count + length > limit {
            // Returning fewer bytes than given makes libcurl abort with CURLE_WRITE_ERROR.
            transfer.bodyTooLarge = true
            return 0
        }
        buffer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            transfer.receivedBody.append(bytes, count: length)
        }
        return length
    }

    /// Opens the sockets of new connections as libcurl would, close-on-exec, and keeps the
    /// `errno` of a failure: libcurl reports only "couldn't connect" when `socket()` fails, and
    /// running out of descriptors must not pass for an unreachable peer.
    private static let openSocketCallback: curl_opensocket_callback = { userdata, _, address in
        guard let address else { return CURL_SOCKET_BAD }
        #if os(Linux)
            let type = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let type = address.pointee.socktype
        #endif
        let descriptor = socket(address.pointee.family, type, address.pointee.protocol)
        if descriptor < 0, let userdata {
            Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue().socketErrno = errno
        }
        return descriptor < 0 ? CURL_SOCKET_BAD : descriptor
    }

    private static let headerCallback: meshkit_curl_data_callback = { buffer, size, count, userdata in
        guard let buffer, let userdata else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        buffer.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            let line = UnsafeBufferPointer(start: bytes, count: length)
            // A new status line starts a new response: an interim (1xx) response's headers are dropped.
            if line.starts(with: "HTTP/".utf8) { transfer.receivedHeaders.removeAll(keepingCapacity: true) }
            transfer.receivedHeaders.append(contentsOf: line)
        }
        return length
    }
}
