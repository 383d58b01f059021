public import Foundation
import Tracing

extension Mesh {
    /// Publishes raw bytes, wrapped in a CloudEvent unless `metadata` has `rawPayload: "true"`.
    ///
    /// - Parameters:
    ///   - contentType: `application/json` puts the bytes in `data`; a text type puts them in
    ///     `data` as a string; anything else goes in `data_base64`.
    ///     `application/cloudevents+json` publishes your own CloudEvent, whose attributes are kept.
    ///   - metadata: `ttlInSeconds` expires the message; `rawPayload` skips the envelope;
    ///     `cloudevent.id` (and `.source`, `.type`, `.subject`) override attributes.
    public func publish(
        pubsub: String,
        topic: String,
        data: Data,
        contentType: String = "application/octet-stream",
        metadata: [String: String] = [:]
    ) async throws {
        let component = try components.pubSub(pubsub)
        try validate(topic: topic, pubsub: pubsub)
        let tracer = tracing.tracerForOutgoingCall()
        try await withSampledSpan(MessagingSpan.publishName(topic), ofKind: .producer, tracer: tracer) { span in
            if let span, span.isRecording { MessagingSpan.setPublishAttributes(pubsub: pubsub, topic: topic, count: nil, on: span) }
            let message = try envelope(pubsub).message(topic: topic, payload: data, contentType: contentType, metadata: metadata)
            let target = PolicyTarget.component(pubsub, .pubsub, .outbound)
            let trace = CallTrace(of: span, by: tracer)
            try await policies.stack(for: target).execute(target, trace: trace) { try await component.publish(message) }
        }
    }

    /// Publishes a value as JSON in a CloudEvent.
    public func publish<Value: Encodable>(pubsub: String, topic: String, value: Value, metadata: [String: String] = [:]) async throws {
        try await publish(
            pubsub: pubsub,
            topic: topic,
            data: try configuration.jsonEncoder.encode(value),
            contentType: "application/json",
            metadata: metadata
        )
    }

    /// Publishes several events to one topic; each is wrapped and published on its own, and the
    /// response lists the entries that failed.
    public func bulkPublish(pubsub: String, topic: String, entries: [BulkPublishEntry], metadata: [String: String] = [:]) async throws
        -> BulkPublishResponse
    {
        let component = try components.pubSub(pubsub)
        try validate(topic: topic, pubsub: pubsub)
        let tracer = tracing.tracerForOutgoingCall()
        return try await withSampledSpan(MessagingSpan.publishName(topic), ofKind: .producer, tracer: tracer) {
            span in
            if let span, span.isRecording {
                MessagingSpan.setPublishAttributes(pubsub: pubsub, topic: topic, count: entries.count, on: span)
            }
            let envelope = envelope(pubsub)
            var failed: [BulkPublishResponse.FailedEntry] = []
            var messages: [PubSubMessage] = []
            var messageEntries: [BulkPublishEntry] = []
            for entry in entries {
                do {
                    let entryMetadata = metadata.merging(entry.metadata) { _, entry in entry }
                    messages.append(
                        try envelope.message(topic: topic, payload: entry.data, contentType: entry.contentType, metadata: entryMetadata)
                    )
                    messageEntries.append(entry)
                } catch {
                    failed.append(.init(entryID: entry.entryID, error: "\(error)"))
                }
            }
            let batch = messages
            let target = PolicyTarget.component(pubsub, .pubsub, .outbound)
            let trace = CallTrace(of: span, by: tracer)
            let failures = try await policies.stack(for: target).execute(target, trace: trace) { await component.bulkPublish(batch) }
            for (index, error) in failures.sorted(by: { $0.key < $1.key }) {
                failed.append(.init(entryID: messageEntries[index].entryID, error: "\(error)"))
            }
            return BulkPublishResponse(failedEntries: failed)
        }
    }

    /// Subscribes a handler to a topic. Deliveries start once ``run()`` runs; messages published
    /// before that wait for it.
    ///
    /// The handler is the subscription's default route; `options.rules` may send some events to
    /// routes registered with ``handleTopicEvents(route:_:)`` instead.
    public func subscribe(
        pubsub: String,
        topic: String,
        options: SubscriptionOptions = SubscriptionOptions(),
        handler: @escaping TopicHandler
    ) async throws {
        _ = try components.pubSub(pubsub)
        try validate(topic: topic, pubsub: pubsub)
        let route = "meshkit:subscription/\(pubsub)/\(topic)"
        try await addSubscription(
            handling: (route, handler),
            SubscriptionResource(
                name: "\(pubsub)-\(topic)",
                pubsubName: pubsub,
                topic: topic,
                routes: SubscriptionRoutes(rules: options.rules, defaultRoute: route),
                deadLetterTopic: options.deadLetterTopic,
                metadata: options.metadata,
                maxConcurrentDeliveries: options.maxConcurrentDeliveries
            )
        )
    }

    /// Registers the handler of a route that declarative `Subscription` resources (or routing rules)
    /// name, as a Dapr app serves that path.
    public func handleTopicEvents(route: String, _ handler: @escaping TopicHandler) {
        handlers.withLock { $0.topicRoutes[Self.normalizedRoute(route)] = handler }
    }

    /// Adds a subscription, and the handler of its route when given, unless the app already
    /// subscribes to the topic.
    func addSubscription(handling route: (String, TopicHandler)? = nil, _ subscription: SubscriptionResource) async throws {
        let pubsub = try components.pubSub(subscription.pubsubName)
        let key = "\(subscription.pubsubName)/\(subscription.topic)"
        try handlers.withLock { table throws(MeshError) in
            if table.subscriptions[key] != nil {
                throw MeshError(
                    .invalidConfiguration,
                    "the app already subscribes to topic '\(subscription.topic)' of '\(subscription.pubsubName)'",
                    context: .init(
                        file: subscription.header.source?.file,
                        line: subscription.header.source?.line,
                        component: subscription.pubsubName,
                        subject: subscription.topic
                    )
                )
            }
            table.subscriptions[key] = subscription
            if let (path, handler) = route { table.topicRoutes[path] = handler }
        }
        do {
            try await pubsub.prepare(subscriptionRequest(for: subscription))
        } catch {
            // Not fatal: the subscription prepares itself again when it starts consuming.
            logger.warning(
                "the pub/sub component could not prepare the subscription yet",
                metadata: ["pubsub": "\(subscription.pubsubName)", "topic": "\(subscription.topic)", "error": "\(error)"]
            )
        }
        subscriptionQueueInput.yield(subscription)
    }

    /// What the mesh asks of the component for a subscription: the app ID is the consumer group.
    func subscriptionRequest(for subscription: SubscriptionResource) -> PubSubSubscriptionRequest {
        PubSubSubscriptionRequest(
            topic: subscription.topic,
            consumerGroup: appID,
            maxConcurrency: subscription.maxConcurrentDeliveries,
            metadata: subscription.metadata
        )
    }

    private func envelope(_ pubsub: String) -> CloudEventEnvelope {
        CloudEventEnvelope(appID: appID, pubsubName: pubsub, now: configuration.clock.now())
    }

    private func validate(topic: String, pubsub: String) throws(MeshError) {
        guard !topic.isEmpty else {
            throw MeshError(.topicNameEmpty, "the topic name is empty", context: .init(component: pubsub))
        }
    }

    static func normalizedRoute(_ route: String) -> String {
        route.hasPrefix("/") || route.hasPrefix("meshkit:") ? route : "/" + route
    }
}

/// One event of a bulk publish.
public struct BulkPublishEntry: Sendable, Hashable {
    /// An ID unique within the request, returned for a failed entry.
    public var entryID: String
    /// The payload.
    public var data: Data
    /// Its content type.
    public var contentType: String
    /// Entry metadata, which overrides the request's.
    public var metadata: [String: String]

    /// Creates an entry.
    public init(entryID: String, data: Data, contentType: String = "application/octet-stream", metadata: [String: String] = [:]) {
        self.entryID = entryID
        self.data = data
        self.contentType = contentType
        self.metadata = metadata
    }

    /// Creates an entry holding a value as JSON.
    public init<Value: Encodable>(entryID: String, value: Value, metadata: [String: String] = [:]) throws {
        self.init(entryID: entryID, data: try JSONEncoder().encode(value), contentType: "application/json", metadata: metadata)
    }
}

/// The outcome of a bulk publish.
public struct BulkPublishResponse: Sendable, Hashable {
    /// An entry that was not published, and why.
    public struct FailedEntry: Sendable, Hashable {
        /// The entry's ID.
        public var entryID: String
        /// What went wrong.
        public var error: String
    }

    /// The entries that were not published; empty when all were.
    public var failedEntries: [FailedEntry]
}
