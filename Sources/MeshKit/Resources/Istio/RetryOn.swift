/// The conditions of an Istio `HTTPRetry.retryOn`: Envoy's `x-envoy-retry-on` and
/// `x-envoy-retry-grpc-on` policies, and bare HTTP status codes, written comma-separated
/// (`retryOn: connect-failure,refused-stream,503`).
///
/// The accepted names are those Istio's validation accepts (`supportedRetryOnPolicies` in
/// `pkg/config/validation`); a bare status code makes Envoy retry that status, as
/// `retriable-status-codes` does.
public struct RetryOn: Sendable, Hashable, CustomStringConvertible {
    /// One named condition.
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        /// Any 5xx answer, or no answer at all (reset, connect failure, refused stream).
        case serverError = "5xx"
        /// A 502, 503 or 504 answer, or no answer at all.
        case gatewayError = "gateway-error"
        /// No answer: a disconnect, reset or read timeout.
        case reset
        /// A reset before the request was sent.
        case resetBeforeRequest = "reset-before-request"
        /// The connection could not be made.
        case connectFailure = "connect-failure"
        /// A retriable 4xx answer: 409.
        case retriable4xx = "retriable-4xx"
        /// An HTTP/2 `REFUSED_STREAM` reset.
        case refusedStream = "refused-stream"
        /// A status among ``RetryOn/statusCodes``.
        case retriableStatusCodes = "retriable-status-codes"
        /// An answer carrying one of the route's retriable headers.
        case retriableHeaders = "retriable-headers"
        /// An answer that Envoy's rate limiter refused (`x-envoy-ratelimited`).
        case envoyRateLimited = "envoy-ratelimited"
        /// A failure after an HTTP/3 connection was made.
        case http3PostConnectFailure = "http3-post-connect-failure"
        /// gRPC status `CANCELLED`.
        case cancelled
        /// gRPC status `DEADLINE_EXCEEDED`.
        case deadlineExceeded = "deadline-exceeded"
        /// gRPC status `INTERNAL`.
        case `internal`
        /// gRPC status `RESOURCE_EXHAUSTED`.
        case resourceExhausted = "resource-exhausted"
        /// gRPC status `UNAVAILABLE`.
        case unavailable
    }

    /// Why a `retryOn` text is not valid.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// The entry that is not a condition.
        public let entry: String

        public var description: String {
            let known = Condition.allCases.map(\.rawValue).joined(separator: ", ")
            return "'\(entry)' is not a retryOn condition; write a status code from 100 to 599 or one of \(known)"
        }
    }

    /// The named conditions.
    public var conditions: Set<Condition>
    /// The bare status codes.
    public var statusCodes: Set<Int>

    /// Creates a set of conditions.
    public init(conditions: Set<Condition> = [], statusCodes: Set<Int> = []) {
        self.conditions = conditions
        self.statusCodes = statusCodes
    }

    /// Reads a comma-separated `retryOn` text; spaces around entries are ignored, an empty
    /// entry is invalid, as in Istio.
    public init(parsing text: String) throws(Invalid) {
        self.init()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = part.trimmingCharacters(in: .whitespaces)
            if let condition = Condition(rawValue: entry) {
                conditions.insert(condition)
            } else if entry.allSatisfy(\.isASCIIDigit), let code = Int(entry), (100...599).contains(code) {
                statusCodes.insert(code)
            } else {
                throw Invalid(entry: entry)
            }
        }
    }

    /// Istio's retry conditions when a route sets no `retryOn`:
    /// `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes` with 503.
    public static let istioDefault = RetryOn(
        conditions: [.connectFailure, .refusedStream, .unavailable, .cancelled, .retriableStatusCodes],
        statusCodes: [503]
    )

    /// Whether an answer with HTTP status `status` is retried under these conditions.
    public func retries(status: Int) -> Bool {
        if statusCodes.contains(status) { return true }
        if conditions.contains(.serverError), (500...599).contains(status) { return true }
        if conditions.contains(.gatewayError), (502...504).contains(status) { return true }
        if conditions.contains(.retriable4xx), status == 409 { return true }
        return false
    }

    public var description: String {
        (conditions.map(\.rawValue).sorted() + statusCodes.sorted().map(String.init)).joined(separator: ",")
    }
}
