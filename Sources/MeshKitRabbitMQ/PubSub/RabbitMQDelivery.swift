import Foundation

/// A message the broker delivered to a subscription's consumer, until it is settled.
struct RabbitMQDelivery: Sendable {
    /// The consumer's connection it came on: a delivery tag means nothing on another one.
    let generation: Int
    /// The delivery tag, to acknowledge it.
    let tag: UInt64
    let body: Data
    let contentType: String?
}

/// What to do with a delivery once the mesh has handled it.
enum RabbitMQSettlement: Sendable, Hashable {
    /// `basic.ack`.
    case ack
    /// `basic.nack`: requeued, or dead-lettered (without `requeue`).
    case nack(requeue: Bool)
    /// Nothing: the delivery belonged to a connection that has gone, and RabbitMQ has requeued it.
    case none
}
