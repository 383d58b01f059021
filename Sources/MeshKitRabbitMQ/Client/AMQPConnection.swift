import CRabbitMQ
import Foundation
import MeshKit

/// One librabbitmq connection with channel 1 open. Not thread-safe, as librabbitmq is not: the
/// thread that owns it is the only one to call it. Every failure leaves it unusable; the owner
/// then drops it and connects again.
final class AMQPConnection {
    /// A failed call, with librabbitmq's or the broker's reason.
    struct Failure: Error {
        let reason: String
    }

    /// One delivery, copied out of librabbitmq's buffers.
    struct Delivery {
        let tag: UInt64
        let body: Data
        let contentType: String?
    }

    private let state: amqp_connection_state_t
    private var isBroken = false
    private var message = [CChar](repeating: 0, count: 512)

    /// The largest frame MeshKit negotiates: librabbitmq keeps a receive buffer that size per
    /// connection, and its default (128 KiB) made 100 idle subscriptions cost 13 MB. Bodies
    /// larger than a frame are split, so this bounds nothing but the buffer.
    static let frameMax: Int32 = 16384

    /// Connects, logs in and opens channel 1, within `timeout` for the TCP connection.
    init(endpoint: RabbitMQEndpoint, heartbeat: Duration, clientName: String?, timeout: Duration) throws(Failure) {
        var message = [CChar](repeating: 0, count: 512)
        let heartbeatSeconds = Int32(clamping: heartbeat.components.seconds)
        let connected = crabbitmq_connect(
            endpoint.host,
            Int32(endpoint.port),
            endpoint.virtualHost,
            endpoint.username,
            endpoint.password,
            heartbeatSeconds,
            Self.frameMax,
            clientName,
            timeout.wholeMilliseconds,
            &message,
            message.count
        )
        guard let connected else {
            throw Failure(reason: String(decoding: message.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self))
        }
        state = connected
    }

    deinit {
        crabbitmq_close(state, isBroken ? 0 : 1)
    }

    /// The socket, for `poll(2)`.
    var rawState: amqp_connection_state_t { state }

    func declareExchange(_ name: String, kind: String, durable: Bool, autoDelete: Bool) throws(Failure) {
        try check(crabbitmq_exchange_declare(state, name, kind, durable ? 1 : 0, autoDelete ? 1 : 0, &message, message.count))
    }

    func declareQueue(_ name: String, durable: Bool, autoDelete: Bool, arguments: QueueArguments) throws(Failure) {
        let status = withOptionalCString(arguments.deadLetterExchange) { exchange in
            withOptionalCString(arguments.queueMode) { mode in
                crabbitmq_queue_declare(
                    state,
                    name,
                    durable ? 1 : 0,
                    autoDelete ? 1 : 0,
                    exchange,
                    mode,
                    arguments.maxLength ?? -1,
                    arguments.maxLengthBytes ?? -1,
                    &message,
                    message.count
                )
            }
        }
        try check(status)
    }

    func bind(queue: String, exchange: String, routingKey: String) throws(Failure) {
        try check(crabbitmq_queue_bind(state, queue, exchange, routingKey, &message, message.count))
    }

    /// `basic.qos` (when `prefetch` > 0) and `basic.consume`.
    func consume(queue: String, prefetch: Int, autoAck: Bool) throws(Failure) {
        try check(crabbitmq_consume(state, queue, Int32(prefetch), autoAck ? 1 : 0, &message, message.count))
    }

    func selectConfirms() throws(Failure) {
        try check(crabbitmq_confirm_select(state, &message, message.count))
    }

    func publish(exchange: String, routingKey: String, body: Data, properties: PublishProperties) throws(Failure) {
        let status = body.withUnsafeBytes { body in
            withOptionalCString(properties.contentType) { contentType in
                withOptionalCString(properties.expiration) { expiration in
                    crabbitmq_publish(
                        state,
                        exchange,
                        routingKey,
                        body.baseAddress,
                        body.count,
                        contentType,
                        Int32(properties.deliveryMode),
                        expiration,
                        Int32(properties.priority ?? -1),
                        &message,
                        message.count
                    )
                }
            }
        }
        try check(status)
    }

    /// A publisher confirm: the tag it covers, whether it covers every earlier tag, and whether the
    /// broker took the messages.
    struct Confirm {
        let tag: UInt64
        let multiple: Bool
        let isAck: Bool
    }

    /// Waits at most `timeout` for the next publisher confirm; `nil` when none came.
    func nextConfirm(within timeout: Duration) throws(Failure) -> Confirm? {
        var tag: UInt64 = 0
        var multiple: Int32 = 0
        let result = crabbitmq_wait_confirm(state, timeout.wholeMilliseconds, &tag, &multiple, &message, message.count)
        switch result {
        case CRABBITMQ_CONFIRM_ACK, CRABBITMQ_CONFIRM_NACK:
            return Confirm(tag: tag, multiple: multiple != 0, isAck: result == CRABBITMQ_CONFIRM_ACK)
        case CRABBITMQ_TIMEOUT, CRABBITMQ_CONFIRM_OTHER: return nil
        default: throw fail()
        }
    }

    /// Reads the next delivery if one arrives within `timeout` (zero: only what is buffered, and
    /// heartbeats are sent and checked).
    func nextDelivery(within timeout: Duration) throws(Failure) -> Delivery? {
        var envelope = amqp_envelope_t()
        var delivery = crabbitmq_delivery()
        let result = crabbitmq_next_delivery(state, &envelope, &delivery, timeout.wholeMilliseconds, &message, message.count)
        switch result {
        case CRABBITMQ_OK:
            defer { crabbitmq_envelope_free(&envelope) }
            let body = delivery.body.map { Data(bytes: $0, count: delivery.body_length) } ?? Data()
            let contentType = delivery.content_type.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: delivery.content_type_length), as: UTF8.self)
            }
            return Delivery(tag: delivery.delivery_tag, body: body, contentType: contentType)
        case CRABBITMQ_TIMEOUT: return nil
        default: throw fail()
        }
    }

    /// `basic.ack`, or `basic.nack` with `requeue`.
    func settle(_ tag: UInt64, ack: Bool, requeue: Bool) throws(Failure) {
        try check(crabbitmq_settle(state, tag, ack ? 1 : 0, requeue ? 1 : 0, &message, message.count))
    }

    /// Whether the socket has something to read within `timeout`, or `wake` was nudged first
    /// (`nil` then).
    func waitReadable(wake: ThreadWakeup, timeout: Duration) -> Bool? {
        switch crabbitmq_wait(state, wake.readFD, timeout.wholeMilliseconds) {
        case CRABBITMQ_WOKEN: nil
        case CRABBITMQ_OK: true
        default: false
        }
    }

    private func check(_ status: Int32) throws(Failure) {
        guard status != CRABBITMQ_OK else { return }
        throw fail()
    }

    private func fail() -> Failure {
        isBroken = true
        return Failure(reason: String(decoding: message.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self))
    }
}

/// The optional `queue.declare` arguments Dapr sets. RabbitMQ refuses to redeclare a queue with
/// other arguments, so these must be exactly Dapr's for a queue both declare.
struct QueueArguments: Sendable, Hashable {
    /// `x-dead-letter-exchange`.
    var deadLetterExchange: String?
    /// `x-queue-mode` (`lazy` for Dapr's dead-letter queue).
    var queueMode: String?
    /// `x-max-length`.
    var maxLength: Int64?
    /// `x-max-length-bytes`.
    var maxLengthBytes: Int64?
}

/// The `basic.publish` properties MeshKit sets.
struct PublishProperties: Sendable, Hashable {
    var contentType: String?
    /// 0 leaves it unset, 1 is transient, 2 persistent.
    var deliveryMode: Int
    /// Per-message TTL in milliseconds, as text (AMQP's `expiration`).
    var expiration: String?
    var priority: Int?
}

private func withOptionalCString<Result>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
