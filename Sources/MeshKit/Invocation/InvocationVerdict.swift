import Foundation
import HTTPTypes

/// How the pipeline reads an invocation's response.
///
/// With a retry policy's `matching.httpStatusCodes`, exactly the listed statuses are failures to
/// retry. Without it, 5xx, 408 and 429 are; other 4xx statuses are answers about the request,
/// which repeating cannot change. (Dapr retries every non-2xx status without `matching`; MeshKit
/// deliberately does not retry client errors.) On 429 and 503, `Retry-After` (seconds or an HTTP
/// date) sets the least wait before the retry.
enum InvocationVerdict {
    static func read(_ response: InvocationResponse, matching: RetryMatching?) -> AttemptVerdict {
        let code = response.status.code
        guard isFailure(code, matching: matching) else { return .success }
        guard code == 429 || code == 503, let header = response.headers[.retryAfter] else {
            return .failure(retryAfter: nil)
        }
        return .failure(retryAfter: retryAfter(header))
    }

    /// The verdict on a result of which only the status is known: no `Retry-After`.
    static func read(status code: Int, matching: RetryMatching?) -> AttemptVerdict {
        isFailure(code, matching: matching) ? .failure(retryAfter: nil) : .success
    }

    private static func isFailure(_ code: Int, matching: RetryMatching?) -> Bool {
        if let codes = matching?.httpStatusCodes, !codes.isEmpty {
            return codes.contains { $0.contains(code) }
        }
        return code >= 500 || code == 408 || code == 429
    }

    /// Parses `Retry-After`: delta seconds or an HTTP date.
    static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        // An HTTP date is printable ASCII (RFC 9110, 5.6.7). Anything else never reaches
        // `DateFormatter`, which traps on some non-ASCII input on Linux.
        guard trimmed.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .clampedSeconds(date.timeIntervalSince(now))
    }
}
