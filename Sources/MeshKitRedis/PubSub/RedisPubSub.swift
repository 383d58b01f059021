import Foundation
public import Logging
public import MeshKit

/// `pubsub.redis`: Redis Streams, as Dapr uses them.
///
/// A publish is an `XADD` of the field `data` (the CloudEvent JSON), capped with `MAXLEN ~` when
/// `maxLenApprox` is set. Each app is a consumer group (`consumerID`, the app ID by default) that
/// reads with `XREADGROUP` on a connection of its own per subscription, acknowledges with `XACK`
/// what the mesh has finished with, and reclaims with `XAUTOCLAIM` what a crashed consumer left
/// pending for longer than `processingTimeout`. Nothing connects until the first call.
///
/// ``shutdown()`` stops the running subscriptions (their handlers in flight finish; what they do
/// not acknowledge stays pending, to be redelivered) and closes every connection.
public final class RedisPubSub: PubSub {
    /// The Dapr component type.
    public static let componentType = "pubsub.redis"

    private let client: RedisClient
    private let settings: RedisPubSubSettings
    private let logger: Logger
    private let subscriptions = RedisActiveSubscriptions()

    /// Creates the component from its context; a bad metadata value throws an error naming it.
    public convenience init(context: ComponentContext) throws {
        let settings = try RedisPubSubSettings(metadata: context.metadata)
        context.metadata.logUnknownFields(
            known: RedisConnectionOptions.metadataNames.union(RedisPubSubSettings.metadataNames),
            logger: context.logger
        )
        self.init(settings: settings, logger: context.logger)
    }

    /// Creates the component outside a mesh, from Dapr metadata such as `["redisHost": "localhost:6379"]`.
    public convenience init(metadata: [String: String], name: String = "pubsub", logger: Logger = Logger(label: "meshkit.redis")) throws {
        let settings = try RedisPubSubSettings(metadata: ComponentMetadata(metadata, componentName: name))
        self.init(settings: settings, logger: logger)
    }

    init(settings: RedisPubSubSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.client = RedisClient(options: settings.connection)
    }

    /// Stops the running subscriptions, closes every connection and returns once their threads
    /// have ended. Later calls fail with ``MeshError/Code/cancelled``; a subscription running now
    /// returns normally once its handlers in flight have finished.
    public func shutdown() async {
        subscriptions.stopAll()
        await client.shutdown()
    }

    public func publish(_ message: PubSubMessage) async throws {
        let reply = try await client.send(RedisStreamEntry.add(message, maxLenApprox: settings.maxLenApprox))
        if let error = reply.errorMessage {
            throw RedisFailure.reply(error, command: "XADD", code: .pubsubPublish, subject: message.topic)
        }
    }

    public func bulkPublish(_ messages: [PubSubMessage]) async -> [Int: any Error] {
        guard !messages.isEmpty else { return [:] }
        let replies: [RedisReply]
        do {
            replies = try await client.send(messages.map { RedisStreamEntry.add($0, maxLenApprox: settings.maxLenApprox) })
        } catch {
            return Dictionary(uniqueKeysWithValues: messages.indices.map { ($0, error) })
        }
        var failures: [Int: any Error] = [:]
        for (index, reply) in replies.enumerated() {
            if let error = reply.errorMessage {
                failures[index] = RedisFailure.reply(error, command: "XADD", code: .pubsubPublish, subject: messages[index].topic)
            }
        }
        return failures
    }

    public func subscribe(
        _ request: PubSubSubscriptionRequest,
        handler: @escaping @Sendable (PubSubMessage) async -> DeliveryAcknowledgement
    ) async throws {
        var logger = logger
        logger[metadataKey: "topic"] = "\(request.topic)"
        let subscription = RedisStreamSubscription(
            client: client,
            settings: settings,
            topic: request.topic,
            group: settings.consumerID ?? request.consumerGroup,
            concurrency: min(max(request.maxConcurrency, 1), settings.concurrency),
            logger: logger,
            handler: handler
        )
        let state = RedisSubscriptionState()
        guard subscriptions.add(state) else { throw RedisFailure.closed(settings.connection.endpoint) }
        defer { subscriptions.remove(state) }
        try await subscription.run(state: state)
    }
}
