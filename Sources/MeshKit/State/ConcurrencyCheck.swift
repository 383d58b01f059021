/// Dapr's ETag rules for a write or delete, shared by every store that keeps version numbers.
///
/// - With `last-write`, any ETag is ignored and the write goes through.
/// - With an ETag, the stored item must exist and carry that version.
/// - With `first-write` and no ETag, the item must not exist yet.
enum ConcurrencyCheck {
    /// Throws ``MeshError/Code/etagMismatch`` or ``MeshError/Code/etagInvalid`` when the write may not
    /// proceed over an item whose current version is `current` (`nil` when absent).
    static func verify(current: Int64?, etag: ETag?, options: StateOptions, key: String) throws(MeshError) {
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
