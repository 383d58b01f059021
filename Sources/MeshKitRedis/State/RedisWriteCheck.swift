import MeshKit

/// Dapr's ETag rules (those of MeshKit's `ConcurrencyCheck`) as the write script applies them:
/// which check an operation needs, decided before the call.
///
/// - With `last-write`, any ETag is ignored and the write goes through.
/// - With an ETag, the stored item must exist and carry that version.
/// - With `first-write` and no ETag, the item must not exist yet.
enum RedisWriteCheck: String, Sendable {
    case none
    case etag
    case absent

    /// The check and the expected version; a malformed ETag throws ``MeshError/Code/etagInvalid``.
    static func of(etag: ETag?, options: StateOptions, key: String) throws(MeshError) -> (check: RedisWriteCheck, version: String) {
        if options.concurrency == .lastWrite { return (.none, "") }
        if let etag, !etag.value.isEmpty { return (.etag, String(try etag.version(key: key))) }
        if options.concurrency == .firstWrite { return (.absent, "") }
        return (.none, "")
    }
}
