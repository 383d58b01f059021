import MeshKit

/// The settings of `pubsub.redis`, from Dapr's metadata.
struct RedisPubSubSettings: Sendable {
    /// How to reach Redis.
    var connection: RedisConnectionOptions
    /// The consumer group (`consumerID`); the app ID by default.
    var consumerID: String?
    /// How long a delivered message may stay unacknowledged before another consumer may claim it (60s).
    var processingTimeout: Duration
    /// How often to look for such messages (15s).
    var redeliverInterval: Duration
    /// The most messages read ahead of the handlers (100).
    var queueDepth: Int
    /// The most handlers running at once per subscription (10).
    var concurrency: Int
    /// `MAXLEN ~` for `XADD`, when set.
    var maxLenApprox: Int?

    /// The pub/sub metadata besides the connection's.
    static let metadataNames: Set<String> = [
        "consumerid", "processingtimeout", "redeliverinterval", "queuedepth", "concurrency", "maxlenapprox",
    ]

    /// Reads the metadata; a bad value throws an error naming the field.
    init(metadata: ComponentMetadata) throws(MeshError) {
        connection = try RedisConnectionOptions(metadata: metadata)
        consumerID = metadata["consumerID"].flatMap { $0.isEmpty ? nil : $0 }
        processingTimeout = try metadata.duration("processingTimeout", default: .seconds(60))
        redeliverInterval = try metadata.duration("redeliverInterval", default: .seconds(15))
        guard processingTimeout >= .zero else {
            throw metadata.invalid("processingTimeout", "\(processingTimeout)", "a duration of zero or more")
        }
        guard redeliverInterval >= .zero else {
            throw metadata.invalid("redeliverInterval", "\(redeliverInterval)", "a duration of zero or more")
        }
        queueDepth = try metadata.int("queueDepth", default: 100)
        guard queueDepth > 0 else { throw metadata.invalid("queueDepth", String(queueDepth), "a positive whole number") }
        concurrency = try metadata.int("concurrency", default: 10)
        guard concurrency > 0 else { throw metadata.invalid("concurrency", String(concurrency), "a positive whole number") }
        let maxLen = try metadata.int("maxLenApprox", default: 0)
        guard maxLen >= 0 else { throw metadata.invalid("maxLenApprox", String(maxLen), "a whole number of zero or more") }
        maxLenApprox = maxLen > 0 ? maxLen : nil
    }
}
