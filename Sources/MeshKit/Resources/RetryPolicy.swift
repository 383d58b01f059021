import Foundation

/// A Dapr retry policy: `policy: constant` or `policy: exponential`.
public struct RetryPolicy: Sendable, Hashable {
    /// How the wait between attempts grows.
    public enum Backoff: Sendable, Hashable {
        /// The same wait every time: Dapr's `duration` (default 5s).
        case constant(Duration)
        /// A wait starting at `initialInterval` (Dapr: 500ms) that grows by `multiplier` (1.5)
        /// up to `maxInterval` (60s), with ±`randomizationFactor` (0.5) jitter.
        case exponential(initialInterval: Duration, multiplier: Double, maxInterval: Duration, randomizationFactor: Double)
    }

    /// The backoff between attempts.
    public var backoff: Backoff
    /// Retries after the first attempt: -1 means no limit, 0 means none. Dapr's default is -1.
    public var maxRetries: Int
    /// Which failures are retried; `nil` retries every failure.
    public var matching: RetryMatching?

    /// Creates a retry policy.
    public init(backoff: Backoff, maxRetries: Int = -1, matching: RetryMatching? = nil) {
        self.backoff = backoff
        self.maxRetries = maxRetries
        self.matching = matching
    }

    /// A constant-interval policy.
    public static func constant(_ interval: Duration, maxRetries: Int = -1) -> RetryPolicy {
        RetryPolicy(backoff: .constant(interval), maxRetries: maxRetries)
    }

    /// Whether a failure after `attempt` attempts (1-based) may be followed by another attempt.
    public func allowsRetry(afterAttempt attempt: Int) -> Bool {
        maxRetries < 0 || attempt <= maxRetries
    }

    /// The longest wait the policy ever makes: its interval when constant, its `maxInterval` when
    /// exponential. A peer's `Retry-After` is capped at this (Envoy likewise ignores reset
    /// headers above its maximum interval).
    public var maxInterval: Duration {
        switch backoff {
        case .constant(let interval): interval
        case .exponential(_, _, let maximum, _): maximum
        }
    }

    /// The wait before retry number `retry` (1-based), without jitter.
    public func interval(beforeRetry retry: Int) -> Duration {
        switch backoff {
        case .constant(let interval):
            return interval
        case .exponential(let initial, let multiplier, let maximum, _):
            // In closed form, so that a huge retry number costs nothing; clamping absorbs overflow.
            let interval = initial.inSeconds * pow(multiplier, Double(max(retry, 1) - 1))
            return min(.clampedSeconds(interval), maximum)
        }
    }

    init(node: ResourceNode) throws(MeshError) {
        let kind = try node.string("policy") ?? "constant"
        switch kind {
        case "constant":
            self.backoff = .constant(try node.duration("duration") ?? .seconds(5))
        case "exponential":
            self.backoff = .exponential(
                initialInterval: try node.duration("initialInterval") ?? .milliseconds(500),
                multiplier: 1.5,
                maxInterval: try node.duration("maxInterval") ?? .seconds(60),
                randomizationFactor: 0.5
            )
        default:
            let field = try node.required("policy")
            throw field.error(.malformedResource, "'\(field.path)' must be 'constant' or 'exponential', not '\(kind)'")
        }
        self.maxRetries = try node.int("maxRetries") ?? -1
        if self.maxRetries < -1 {
            throw try node.required("maxRetries").error(.malformedResource, "maxRetries must be -1 (no limit) or more")
        }
        self.matching = try node.child("matching").map { node throws(MeshError) in try RetryMatching(node: node) }
    }
}

/// Dapr's `matching` section of a retry policy: which status codes are retried.
public struct RetryMatching: Sendable, Hashable {
    /// HTTP status codes that are retried, as ranges.
    public var httpStatusCodes: [ClosedRange<Int>]
    /// gRPC status codes that are retried, as ranges.
    public var gRPCStatusCodes: [ClosedRange<Int>]

    /// Creates a matching section.
    public init(httpStatusCodes: [ClosedRange<Int>] = [], gRPCStatusCodes: [ClosedRange<Int>] = []) {
        self.httpStatusCodes = httpStatusCodes
        self.gRPCStatusCodes = gRPCStatusCodes
    }

    init(node: ResourceNode) throws(MeshError) {
        self.httpStatusCodes = try Self.ranges(node.child("httpStatusCodes"), valid: 100...599)
        self.gRPCStatusCodes = try Self.ranges(node.child("gRPCStatusCodes"), valid: 0...16)
    }

    /// Parses Dapr's `"429,500-599"` notation.
    private static func ranges(_ node: ResourceNode?, valid: ClosedRange<Int>) throws(MeshError) -> [ClosedRange<Int>] {
        guard let node else { return [] }
        var ranges: [ClosedRange<Int>] = []
        for part in try node.string().split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            guard bounds.count <= 2, let low = bounds.first ?? nil, let high = bounds.last ?? nil, low <= high,
                valid.contains(low), valid.contains(high)
            else {
                throw node.error(
                    .malformedResource,
                    "'\(node.path)' has '\(part)', which is not a code or range within \(valid.lowerBound)-\(valid.upperBound)"
                )
            }
            ranges.append(low...high)
        }
        return ranges
    }
}
