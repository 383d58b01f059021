import Foundation

/// How a write treats concurrent writers, as in Dapr's `options.concurrency`.
public enum StateConcurrency: String, Sendable, Hashable {
    /// The write succeeds only if the item is unchanged since it was read: the ETag must match,
    /// and without an ETag the item must not exist yet.
    case firstWrite = "first-write"
    /// The write always succeeds; an ETag given is ignored.
    case lastWrite = "last-write"
}

/// How a store replicates a write before answering, as in Dapr's `options.consistency`.
public enum StateConsistency: String, Sendable, Hashable {
    /// The store answers once one replica has the write.
    case eventual
    /// The store answers once a quorum has the write.
    case strong
}

/// Options of a state write or delete.
///
/// With no concurrency given, an ETag, when present, is checked (Dapr's default behaviour).
public struct StateOptions: Sendable, Hashable {
    /// The concurrency mode, or `nil` for Dapr's default.
    public var concurrency: StateConcurrency?
    /// The consistency level, or `nil` for the store's default.
    public var consistency: StateConsistency?

    /// Creates options.
    public init(concurrency: StateConcurrency? = nil, consistency: StateConsistency? = nil) {
        self.concurrency = concurrency
        self.consistency = consistency
    }
}

/// How long a state item lives, from the `ttlInSeconds` metadata.
public enum StateTTL: Sendable, Hashable {
    /// `ttlInSeconds: -1`: the item never expires, and any earlier expiry is removed.
    case never
    /// The item expires after this many seconds.
    case seconds(Int)

    /// The metadata key Dapr uses.
    public static let metadataKey = "ttlInSeconds"

    /// Reads `ttlInSeconds` from request metadata; `nil` when absent.
    public static func parse(_ metadata: [String: String], key: String) throws(MeshError) -> StateTTL? {
        guard let text = metadata[metadataKey] else { return nil }
        guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds == -1 || seconds > 0 else {
            throw MeshError(
                .malformedRequest,
                "ttlInSeconds must be -1 (never expire) or a positive whole number of seconds, not '\(text)'",
                context: .init(field: metadataKey, subject: key)
            )
        }
        return seconds == -1 ? .never : .seconds(seconds)
    }
}
