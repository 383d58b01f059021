/// Collects the failures of a bulk operation whose items succeed or fail on their own, and
/// reports them the same way for every store: nothing when all succeeded, a single failure as it
/// was thrown, several as one error that names each key.
///
/// ```swift
/// var failures = BulkFailures(total: items.count, code: .stateSave)
/// for item in items {
///     do { try await write(item) } catch { failures.record(key: item.key, error) }
/// }
/// try failures.throwIfAny()
/// ```
public struct BulkFailures: Sendable {
    /// How many items the operation had.
    public let total: Int
    /// The code of the combined error when the failures do not share one.
    public let code: MeshError.Code
    private var failures: [(key: String, error: any Error)] = []

    /// Creates an empty collection for an operation of `total` items.
    public init(total: Int, code: MeshError.Code) {
        self.total = total
        self.code = code
    }

    /// Records that the item `key` failed.
    public mutating func record(key: String, _ error: any Error) {
        failures.append((key, error))
    }

    /// Throws the failures recorded, if any.
    public func throwIfAny() throws {
        guard let first = failures.first else { return }
        if failures.count == 1 { throw first.error }
        let firstCode = (first.error as? MeshError)?.code
        let shared = failures.allSatisfy { ($0.error as? MeshError)?.code == firstCode } ? firstCode : nil
        throw MeshError(
            shared ?? code,
            "\(failures.count) of \(total) items failed: " + failures.map { "'\($0.key)': \($0.error)" }.joined(separator: "; "),
            underlying: first.error
        )
    }

    /// Runs `operation` on every item, even after a failure, then reports the failures.
    static func attemptEach<Item>(
        _ items: [Item],
        keyedBy key: (Item) -> String,
        code: MeshError.Code,
        _ operation: (Item) async throws -> Void
    ) async throws {
        var failures = BulkFailures(total: items.count, code: code)
        for item in items {
            do {
                try await operation(item)
            } catch {
                failures.record(key: key(item), error)
            }
        }
        try failures.throwIfAny()
    }
}
