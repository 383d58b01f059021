/// Dapr's ETag rules for a write or delete, shared by every store that keeps version numbers.
///
/// - With `last-write`, any ETag is ignored and the write goes through.
/// - With an ETag, the stored item must exist and carry that version.
/// - With `first-write` and no ETag, the item must not exist yet.
/// - An item saved with `first-write` can only be saved over with its ETag (and without
///   `last-write`), as Dapr's Redis store enforces with the `first-write` field it keeps on the
///   item (components-contrib `state/redis/redis.go`, `setDefaultQuery`). Deletes are not held.
enum ConcurrencyCheck {
    /// Throws ``MeshError/Code/etagMismatch`` or ``MeshError/Code/etagInvalid`` when the write may not
    /// proceed over an item whose current version is `current` (`nil` when absent);
    /// `guardedByFirstWrite` says whether that item was saved with first-write, for a save.
    static func verify(
        current: Int64?,
        etag: ETag?,
        options: StateOptions,
        key: String,
        guardedByFirstWrite: Bool = false
    ) throws(MeshError) {
        let checksETag = options.concurrency != .lastWrite && !(etag?.value.isEmpty ?? true)
        if guardedByFirstWrite, current != nil, !checksETag {
            throw MeshError(
                .etagMismatch,
                "the item was saved with first-write concurrency: saving over it needs its ETag",
                context: .init(subject: key)
            )
        }
        if options.concurrency == .lastWrite { return }
        if let etag, !etag.value.isEmpty {
            let expected = try etag.version(key: key)
            guard current == expected else {
                throw MeshError(
                    .etagMismatch,
                    current == nil
                        ? "the ETag '\(etag)' was given for a key that does not exist"
                        : "the ETag '\(etag)' does not match the stored item's ETag",
                    context: .init(subject: key)
                )
            }
        } else if options.concurrency == .firstWrite, current != nil {
            throw MeshError(
                .etagMismatch,
                "first-write concurrency without an ETag requires that the key does not exist yet",
                context: .init(subject: key)
            )
        }
    }
}
