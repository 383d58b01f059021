import Foundation
import Logging
import ServiceLifecycle
import Tracing

/// Takes one message from a component to the app's handler and decides its fate: the same for
/// every pub/sub component.
///
/// 1. The message is read as a CloudEvent (or wrapped, for raw payloads).
/// 2. An expired message (`expiration` in the past) is acknowledged without delivery.
/// 3. The routing rules pick a route; no match and no default route drops the message, as Dapr does.
/// 4. The handler runs in a consumer span continuing the publisher's trace, through the
///    component's inbound stack: `retry` or a thrown error is retried in place as the inbound
///    policy allows, so broker redelivery never stacks on top of those retries.
/// 5. `drop`, an exhausted policy, a route with no handler and an unreadable message go to the
///    dead-letter topic when there is one, and are acknowledged. Without a dead-letter topic,
///    `drop` and the unhandleable messages are dropped (logged at warning with the message ID),
///    while an exhausted policy leaves the message pending for the broker's redelivery. A failed
///    dead-letter publish, an open inbound breaker, or a shutdown in the middle of retrying
///    leaves the message pending too.
struct SubscriptionDelivery: Sendable {
    let subscription: SubscriptionResource
    let pubsub: any PubSub
    let stack: TargetStack
    let clock: WallClock
    let logger: Logger
    /// The mesh's decoder, which events decode with by default.
    let jsonDecoder: JSONDecoder
    /// Whether deliveries make spans.
    let tracing: MeshTracing
    /// The subscribing app, the consumer group.
    let appID: String
    let handler: @Sendable (String) -> TopicHandler?

    var isRawPayload: Bool { subscription.metadata["rawPayload"]?.lowercased() == "true" }

    func deliver(_ message: PubSubMessage) async -> DeliveryAcknowledgement {
        let event: TopicEvent
        do {
            event = try TopicEvent(message: message, pubsubName: subscription.pubsubName, rawPayload: isRawPayload, jsonDecoder: jsonDecoder)
        } catch {
            // As in Dapr: dead-lettered when there is a dead-letter topic, otherwise left to the
            // broker to deliver again.
            logger.error("cannot read the delivered message", metadata: ["error": "\(error)"])
            guard subscription.deadLetterTopic != nil else { return .nack }
            return await deadLetter(message, reason: "unreadable message", logger: logger)
        }
        if let expiration = event.expiration, expiration <= clock.now() {
            logger(for: event).debug("the event expired before delivery; dropping it", metadata: ["expiration": "\(expiration)"])
            return .ack
        }
        guard let route = subscription.routes.route(for: event) else {
            logger(for: event).warning("no routing rule matches the event and there is no default route; dropping it")
            return .ack
        }
        guard let handler = handler(route) else {
            let logger = logger(for: event)
            logger.warning("no handler is registered for the route", metadata: ["route": "\(route)"])
            return await deadLetter(message, reason: "no handler for route \(route)", logger: logger)
        }
        return await handle(DeliveredEvent(consume event, route: route), message: message, with: handler)
    }

    private func handle(
        _ delivered: DeliveredEvent,
        message: PubSubMessage,
        with handler: @escaping TopicHandler
    ) async -> DeliveryAcknowledgement {
        let trace = tracing.incomingCall(event: delivered.event)
        do {
            let response = try await withSampledSpan(
                MessagingSpan.processName(delivered.event.topic),
                ofKind: .consumer,
                tracer: trace.tracer,
                context: trace.context
            ) { span in
                if let span, span.isRecording {
                    MessagingSpan.setProcessAttributes(
                        pubsub: subscription.pubsubName,
                        topic: delivered.event.topic,
                        messageID: delivered.event.id,
                        consumerGroup: appID,
                        on: span
                    )
                }
                var call = MeshCall(target: stack.target, reading: .delivery)
                call.trace = CallTrace(of: span, by: trace.tracer)
                return try await stack.execute(call) { _ in try await handler(delivered.event) }
            }
            switch response {
            case .success:
                return .ack
            case .drop:
                let logger = logger(for: delivered.event)
                logger.warning("the handler dropped the event")
                return await deadLetter(message, reason: "dropped by the handler", logger: logger)
            case .retry:
                if Task.isShuttingDownGracefully || Task.isCancelled { return .nack }
                return await giveUp(message, event: delivered.event, error: nil)
            }
        } catch {
            if Task.isShuttingDownGracefully || Task.isCancelled { return .nack }
            let logger = logger(for: delivered.event)
            if (error as? MeshError)?.code == .circuitOpen || (error as? MeshError)?.code == .tooManyRequests {
                logger.warning("the inbound policy refused the delivery; it stays pending", metadata: ["error": "\(error)"])
                return .nack
            }
            return await giveUp(message, event: delivered.event, error: error)
        }
    }

    /// The inbound policy gave up: the dead-letter topic takes the message when there is one;
    /// otherwise it stays with the broker for redelivery (at-least-once, as in Dapr, where a
    /// failed delivery without a dead-letter topic is left to the broker).
    private func giveUp(_ message: PubSubMessage, event: TopicEvent, error: (any Error)?) async -> DeliveryAcknowledgement {
        let logger = logger(for: event)
        let metadata: Logger.Metadata = error.map { ["error": "\($0)"] } ?? [:]
        guard subscription.deadLetterTopic != nil else {
            logger.error("the inbound retry policy gave up on the event; it stays with the broker for redelivery", metadata: metadata)
            return .nack
        }
        logger.error("the inbound retry policy gave up on the event", metadata: metadata)
        return await deadLetter(message, reason: "retries exhausted", logger: logger)
    }

    /// The logger with the event's ID, for the paths that log.
    private func logger(for event: TopicEvent) -> Logger {
        var logger = logger
        logger[metadataKey: "event.id"] = "\(event.id)"
        return logger
    }

    /// Sends a message the app is done with to the dead-letter topic, or drops it when there is none.
    private func deadLetter(_ message: PubSubMessage, reason: String, logger: Logger) async -> DeliveryAcknowledgement {
        guard let deadLetterTopic = subscription.deadLetterTopic else {
            logger.warning("the message is dropped: the subscription has no deadLetterTopic", metadata: ["reason": "\(reason)"])
            return .ack
        }
        var forwarded = message
        forwarded.topic = deadLetterTopic
        do {
            try await pubsub.publish(forwarded)
            logger.info(
                "the message went to the dead-letter topic",
                metadata: ["deadLetterTopic": "\(deadLetterTopic)", "reason": "\(reason)"]
            )
            return .ack
        } catch {
            logger.error("publishing to the dead-letter topic failed; the message stays pending", metadata: ["error": "\(error)"])
            return .nack
        }
    }
}

/// The event a delivery hands to its handler, held by reference: async frames keep what they
/// pass on and what their closures capture, and a `TopicEvent` copy retains every string and
/// buffer it holds, where a copy of this is one retain.
private final class DeliveredEvent: Sendable {
    let event: TopicEvent

    /// Holds `event`, routed to `route`.
    init(_ event: consuming TopicEvent, route: String) {
        event.route = route
        self.event = event
    }
}
