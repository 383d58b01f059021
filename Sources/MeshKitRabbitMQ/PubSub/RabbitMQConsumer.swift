import Foundation
import Logging
import MeshKit
import Synchronization

/// One subscription's connection, driven by a thread of its own (`meshkit-rmq-sub`): it declares
/// the subscription's exchange and queue, consumes with `basic.consume`, hands each delivery to
/// ``deliveries``, and sends the acknowledgements that ``settle(_:_:)`` queues.
///
/// When the connection breaks it waits `reconnectWait` and connects again. RabbitMQ requeues
/// what the broken connection had not acknowledged, so before consuming again the thread waits
/// until every delivery of the old connection has been settled (its acknowledgement is dropped):
/// no message is ever handled twice at the same time. ``close()`` sends the queued
/// acknowledgements, closes the connection (RabbitMQ requeues the rest) and ends the thread.
final class RabbitMQConsumer: Sendable {
    private struct State {
        var settlements: [(generation: Int, tag: UInt64, settlement: RabbitMQSettlement)] = []
        /// Deliveries handed out and not yet settled.
        var outstanding = 0
        var generation = 0
        /// Whether the thread is about to wait in `poll(2)`: only then does a settlement nudge it.
        var isPolling = false
    }

    /// The deliveries, in order.
    let deliveries: AsyncStream<RabbitMQDelivery>
    private let continuation: AsyncStream<RabbitMQDelivery>.Continuation
    private let end = ThreadEnd()
    private let settings: RabbitMQSettings
    private let topology: RabbitMQTopology
    private let logger: Logger
    private let wake: ThreadWakeup
    private let state = Mutex(State())

    /// Starts the thread; `nil` when the process is out of file descriptors.
    init?(settings: RabbitMQSettings, topology: RabbitMQTopology, logger: Logger) {
        guard let wake = ThreadWakeup() else { return nil }
        self.wake = wake
        self.settings = settings
        self.topology = topology
        self.logger = logger
        (deliveries, continuation) = AsyncStream.makeStream(of: RabbitMQDelivery.self)
        OwnedThread.start(named: "meshkit-rmq-sub") { [self] in run() }
    }

    /// Whether `delivery` came on the current connection (one from a broken connection has been
    /// requeued by RabbitMQ and must not be handled).
    func isCurrent(_ delivery: RabbitMQDelivery) -> Bool {
        state.withLock { $0.generation == delivery.generation }
    }

    /// Queues the acknowledgement of a delivery for the thread.
    func settle(_ delivery: RabbitMQDelivery, _ settlement: RabbitMQSettlement) {
        let nudge = state.withLock { state in
            state.outstanding -= 1
            if settlement != .none && !settings.autoAck {
                state.settlements.append((delivery.generation, delivery.tag, settlement))
            }
            defer { state.isPolling = false }
            return state.isPolling
        }
        if nudge { wake.nudge() }
    }

    /// Stops handing out deliveries: what is buffered is left to RabbitMQ.
    func stopDelivering() {
        continuation.finish()
    }

    /// Makes the thread send the queued acknowledgements, close the connection and end.
    func close() {
        continuation.finish()
        wake.close()
    }

    /// Returns once the thread has ended.
    func waitUntilEnded() async {
        await end.wait()
    }

    /// The thread's loop: connect, consume until the connection breaks or the consumer closes,
    /// pause, repeat.
    private func run() {
        var failures = 0
        while !wake.isClosed {
            waitForOutstanding()
            if wake.isClosed { break }
            do throws(AMQPConnection.Failure) {
                let connection = try connect()
                if failures > 0 { logger.info("reconnected to RabbitMQ", metadata: ["queue": "\(topology.queue)"]) }
                failures = 0
                try consume(on: connection)
            } catch {
                failures += 1
                let log = failures == 1 ? Logger.Level.warning : .debug
                logger.log(
                    level: log,
                    "RabbitMQ consumer failed; reconnecting after reconnectWait",
                    metadata: ["error": "\(error.reason)", "queue": "\(topology.queue)"]
                )
                pause(settings.reconnectWait)
            }
        }
        continuation.finish()
        end.markEnded()
    }

    private func connect() throws(AMQPConnection.Failure) -> AMQPConnection {
        let connection = try AMQPConnection(
            endpoint: settings.endpoint,
            heartbeat: settings.heartbeat,
            clientName: settings.clientName,
            timeout: .seconds(5)
        )
        try topology.declare(on: connection, settings: settings)
        try connection.consume(queue: topology.queue, prefetch: settings.prefetchCount, autoAck: settings.autoAck)
        return connection
    }

    /// Consumes on `connection` until it breaks (throws) or the consumer closes (returns after
    /// sending the queued acknowledgements).
    private func consume(on connection: AMQPConnection) throws(AMQPConnection.Failure) {
        let generation = state.withLock { state in
            state.generation += 1
            return state.generation
        }
        let slice = settings.heartbeat > .zero ? min(settings.heartbeat / 2, .seconds(1)) : .seconds(1)
        while true {
            try sendSettlements(on: connection, generation: generation)
            if wake.isClosed { return }
            // Poll only with no settlement queued; from then on a settlement nudges the thread.
            let polls = state.withLock { state in
                state.isPolling = state.settlements.isEmpty
                return state.isPolling
            }
            guard polls else { continue }
            // A wake-up means settlements (or a close): send them before reading on.
            let readable = connection.waitReadable(wake: wake, timeout: slice)
            state.withLock { $0.isPolling = false }
            if readable == nil {
                wake.drain()
                continue
            }
            // Also on a timeout: the zero-timeout read sends a due heartbeat and notices a silent broker.
            while let delivery = try connection.nextDelivery(within: .zero) {
                state.withLock { $0.outstanding += 1 }
                let yielded = continuation.yield(
                    RabbitMQDelivery(generation: generation, tag: delivery.tag, body: delivery.body, contentType: delivery.contentType)
                )
                if case .terminated = yielded { state.withLock { $0.outstanding -= 1 } }
            }
        }
    }

    private func sendSettlements(on connection: AMQPConnection, generation: Int) throws(AMQPConnection.Failure) {
        let settlements = state.withLock { state in
            defer { state.settlements.removeAll(keepingCapacity: true) }
            return state.settlements
        }
        for entry in settlements where entry.generation == generation {
            switch entry.settlement {
            case .ack: try connection.settle(entry.tag, ack: true, requeue: false)
            case .nack(let requeue): try connection.settle(entry.tag, ack: false, requeue: requeue)
            case .none: break
            }
        }
    }

    /// Waits until every delivery handed out has been settled, or the consumer closes.
    private func waitForOutstanding() {
        while state.withLock({
            $0.isPolling = true; return $0.outstanding > 0
        }) && !wake.isClosed {
            _ = wake.sleep(for: .milliseconds(500))
            wake.drain()
        }
        state.withLock { state in
            state.isPolling = false
            state.settlements.removeAll()
        }
    }

    /// Sleeps for `duration` unless the consumer closes first.
    private func pause(_ duration: Duration) {
        let end = ContinuousClock.now + duration
        while !wake.isClosed, ContinuousClock.now < end {
            _ = wake.sleep(for: end - ContinuousClock.now)
            wake.drain()
        }
    }
}
