public import Foundation

/// A state item read from a store.
public struct StateItem: Sendable, Hashable {
    /// The key, as the app wrote it (without the store's key prefix).
    public var key: String
    /// The stored bytes.
    public var value: Data
    /// The item's current ETag.
    public var etag: ETag?
    /// Metadata the store returns, such as `ttlExpireTime` (RFC 3339) for an item with a TTL.
    public var metadata: [String: String]

    /// Creates an item.
    public init(key: String, value: Data, etag: ETag? = nil, metadata: [String: String] = [:]) {
        self.key = key
        self.value = value
        self.etag = etag
        self.metadata = metadata
    }

    /// Decodes the value as JSON.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: value)
    }
}

/// One result of a bulk get: the item, or nothing for a missing key, or the error for that key.
public struct BulkStateItem: Sendable, Hashable {
    /// The key asked for.
    public var key: String
    /// The item, or `nil` when the key does not exist (or its read failed).
    public var item: StateItem?
    /// Why reading this key failed, if it did.
    public var error: String?

    /// Creates a bulk result.
    public init(key: String, item: StateItem?, error: String? = nil) {
        self.key = key
        self.item = item
        self.error = error
    }
}

/// A write of one state item.
public struct SaveStateItem: Sendable, Hashable {
    /// The key.
    public var key: String
    /// The bytes to store.
    public var value: Data
    /// The ETag the stored item must have for the write to succeed.
    public var etag: ETag?
    /// Request metadata, such as `ttlInSeconds`.
    public var metadata: [String: String]
    /// Concurrency and consistency.
    public var options: StateOptions

    /// Creates a write of raw bytes.
    public init(
        key: String,
        value: Data,
        etag: ETag? = nil,
        metadata: [String: String] = [:],
        options: StateOptions = StateOptions()
    ) {
        self.key = key
        self.value = value
        self.etag = etag
        self.metadata = metadata
        self.options = options
    }

    /// Creates a write of a value encoded as JSON.
    public init<Value: Encodable>(
        key: String,
        json value: Value,
        etag: ETag? = nil,
        metadata: [String: String] = [:],
        options: StateOptions = StateOptions()
    ) throws {
        self.init(key: key, value: try JSONEncoder().encode(value), etag: etag, metadata: metadata, options: options)
    }

    /// The item's TTL from its metadata.
    public func ttl() throws(MeshError) -> StateTTL? {
        try StateTTL.parse(metadata, key: key)
    }
}

/// A delete of one state item.
public struct DeleteStateItem: Sendable, Hashable {
    /// The key.
    public var key: String
    /// The ETag the stored item must have for the delete to succeed.
    public var etag: ETag?
    /// Request metadata.
    public var metadata: [String: String]
    /// Concurrency and consistency.
    public var options: StateOptions

    /// Creates a delete.
    public init(key: String, etag: ETag? = nil, metadata: [String: String] = [:], options: StateOptions = StateOptions()) {
        self.key = key
        self.etag = etag
        self.metadata = metadata
        self.options = options
    }
}

/// One operation of a state transaction.
public enum StateOperation: Sendable, Hashable {
    /// Writes an item.
    case upsert(SaveStateItem)
    /// Deletes an item.
    case delete(DeleteStateItem)

    /// The key the operation touches.
    public var key: String {
        switch self {
        case .upsert(let item): item.key
        case .delete(let item): item.key
        }
    }
}
