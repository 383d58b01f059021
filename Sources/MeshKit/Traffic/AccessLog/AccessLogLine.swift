import Foundation
import HTTPTypes

/// One call in Envoy's default access log format:
///
/// ```
/// [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
/// %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
/// "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
/// ```
///
/// on one line, with `-` for a value that is not there. As in a client sidecar's log, the
/// request is the one sent, the authority is the app ID, the bytes received are the request
/// body and the bytes sent the response body, and a call that failed without an answer has
/// status 0 and Envoy's response flag for why (`UF` connect failure, `UT` timeout, `UO` overflow,
/// `UH` no healthy endpoint, `URX` retries exhausted, `DC` cancelled, `-` none).
struct AccessLogLine {
    let start: Date
    let request: InvocationRequest
    let status: Int
    let flags: String
    let bytesSent: Int
    let duration: Duration
    let upstream: Endpoint?

    var text: String {
        func field(_ value: String?) -> String { value.flatMap { $0.isEmpty ? nil : $0 } ?? "-" }
        func header(_ name: String) -> String { field(HTTPField.Name(name).flatMap { request.headers[$0] }) }
        let path =
            "/" + request.method
            + (request.query.isEmpty ? "" : "?" + request.query.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: "&"))
        let upstreamHost = upstream.map { "\($0.host.contains(":") ? "[\($0.host)]" : $0.host):\($0.port)" }
        return "[\(Self.timestamp(start))] \"\(request.httpMethod.rawValue) \(path) HTTP/1.1\" \(status) \(flags) "
            + "\(request.body.count) \(bytesSent) \(duration.wholeMilliseconds) - \"\(header("x-forwarded-for"))\" "
            + "\"\(header("user-agent"))\" \"\(header("x-request-id"))\" \"\(request.appID)\" \"\(field(upstreamHost))\"\n"
    }

    /// `2026-11-29T19:20:26.123Z`: RFC 3339 with milliseconds, as Envoy's `%START_TIME%`.
    static func timestamp(_ date: Date) -> String {
        let seconds = RFC3339.string(from: date)
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let padded = String(repeating: "0", count: 3 - String(milliseconds).count) + String(milliseconds)
        return seconds.dropLast() + ".\(padded)Z"
    }

    /// Envoy's response flag for a call that failed with `error`.
    static func flags(for error: any Error) -> String {
        guard let code = (error as? MeshError)?.code else { return error is CancellationError ? "DC" : "-" }
        switch code {
        case .connectFailed: return "UF"
        case .timeout, .deadlineExceeded: return "UT"
        case .tooManyRequests: return "UO"
        case .appNotFound: return "UH"
        case .faultInjected: return "FI"
        case .cancelled: return "DC"
        default: return "-"
        }
    }
}
