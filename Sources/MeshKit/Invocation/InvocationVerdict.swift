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

    /// Parses `Retry-After`: delta seconds or an HTTP date, in any of the three formats a
    /// recipient must accept (RFC 9110, 5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime.
    static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        guard let date = httpDate(trimmed, now: now) else { return nil }
        return .clampedSeconds(date.timeIntervalSince(now))
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
    /// and asctime (`Sun Nov  6 08:49:37 1994`).
    private static let httpDateFormats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]

    private static func httpDate(_ text: String, now: Date) -> Date? {
        // An HTTP date is printable ASCII. Anything else never reaches `DateFormatter`, which
        // traps on some non-ASCII input on Linux.
        guard text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        // A two-digit year that would put the date more than 50 years ahead is in the century
        // before (RFC 9110, 5.6.7): the dates read are those after now − 50 years, up to and
        // including now + 50 years.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = formatter.timeZone
        formatter.twoDigitStartDate = calendar.date(byAdding: .year, value: -50, to: now)?.addingTimeInterval(0.001)
        for format in httpDateFormats {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
