/// An entity tag: the version of a state item, for optimistic concurrency.
public struct ETag: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The tag's text, as the store issued it.
    public let value: String

    /// Creates an ETag from its text.
    public init(_ value: String) {
        self.value = value
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String { value }

    /// The version number this ETag carries, for stores whose ETags are version counters
    /// (the in-memory and Redis stores, like Dapr's Redis store). Throws ``MeshError/Code/etagInvalid``
    /// when the text is not one.
    public func version(key: String) throws(MeshError) -> Int64 {
        guard let version = Int64(value), version >= 0 else {
            throw MeshError(
                .etagInvalid,
                "the ETag '\(value)' is not one this store issues (they are version numbers)",
                context: .init(subject: key)
            )
        }
        return version
    }
}
