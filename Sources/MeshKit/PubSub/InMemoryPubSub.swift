import Foundation
import ServiceLifecycle
import Synchronization

/// `pubsub.in-memory`: a broker inside this process.
///
/// Each consumer group (app ID) of a topic gets every message once, and the group's
/// subscription handlers share its queue. A group's queue exists from the moment the app
/// declares the subscription, so publishing before `run()` starts loses nothing. Messages
/// published to a topic no group has declared yet are kept (up to `maxBufferedMessages`, default
/// 10,000) and go to the first group that declares it. A message a handler leaves unacknowledged
/// is queued again after `redeliverInterval` (default 1s).
///
/// Every mesh on the same ``InProcessNetwork`` that declares an in-memory pub/sub with the same
/// name shares one broker.
public final class InMemoryPubSub: PubSub {
    /// The Dapr component type.
    public static let componentType = "pubsub.in-memory"

    private struct Topic {
        var groups: [String: DeliveryQueue] = [:]
        var backlog: [PubSubMessage] = []
    }

    private let topics = Mutex<[String: Topic]>([:])
    private let maxBufferedMessages: Int
    private let redeliverInterval: Duration

    /// Creates an empty broker.
    public init(maxBufferedMessages: Int = 10_000, redeliverInterval: Duration = .seconds(1)) {
        self.maxBufferedMessages = maxBufferedMessages
        self.redeliverInterval = redeliverInterval
    }

    static func shared(for context: ComponentContext) throws(MeshError) -> InMemoryPubSub {
        let buffered = try context.metadata.int("maxBufferedMessages", default: 10_000)
        let redeliver = try context.metadata.duration("redeliverInterval", default: .seconds(1))
        return context.network.sharedInstance(key: "\(componentType)/\(context.name)") {
            InMemoryPubSub(maxBufferedMessages: buffered, redeliverInterval: redeliver)
        }
    }

    public func publish(_ message: PubSubMessage) async throws {
        let queues = try topics.withLock { topics throws(MeshError) -> [DeliveryQueue] in
            let groups = Array(topics[message.topic, default: Topic()].groups.values)
            if groups.isEmpty {
                guard topics[message.topic, default: Topic()].backlog.count < maxBufferedMessages else {
                    throw MeshError(
                        .pubsubPublish,
                        "the topic has no subscriber and already holds \(maxBufferedMessages) messages",
                        context: .init(subject: message.topic)
                    )
                }
                topics[message.topic, default: Topic()].backlog.append(message)
            }
            return groups
        }
        for queue in queues { queue.push(message) }
    }

    public func prepare(_ request: PubSubSubscriptionRequest) async throws {
        _ = queue(for: request)
    }

    public func subscribe(
        _ request: PubSubSubscriptionRequest,
        handler: @escaping @Sendable (PubSubMessage) async -> DeliveryAcknowledgement
    ) async throws {
        let queue = queue(for: request)
        queue.resume()
        let redeliverInterval = self.redeliverInterval
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for _ in 0..<max(request.maxConcurrency, 1) {
                    group.addTask {
                        while let message = await queue.next() {
                            if await handler(message) == .nack {
                                await queue.redeliver(message, after: redeliverInterval)
                            }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            queue.stop()
        }
    }

    /// The consumer group's queue, created with the topic's backlog the first time.
    private func queue(for request: PubSubSubscriptionRequest) -> DeliveryQueue {
        topics.withLock { topics in
            if let existing = topics[request.topic]?.groups[request.consumerGroup] { return existing }
            let queue = DeliveryQueue()
            for message in topics[request.topic, default: Topic()].backlog { queue.push(message) }
            topics[request.topic, default: Topic()].backlog.removeAll()
            topics[request.topic, default: Topic()].groups[request.consumerGroup] = queue
            return queue
        }
    }

    /// Messages queued for a consumer group and not yet taken, for tests and diagnostics.
    public func pendingCount(topic: String, consumerGroup: String) -> Int {
        topics.withLock { $0[topic]?.groups[consumerGroup]?.pendingCount ?? $0[topic]?.backlog.count ?? 0 }
    }
}
