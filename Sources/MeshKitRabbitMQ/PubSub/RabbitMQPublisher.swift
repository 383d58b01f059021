import Foundation
import Logging
import MeshKit
import Synchronization

/// The component's publishing connection, driven by a thread of its own (`meshkit-rmq-pub`) that
/// starts with the first request.
///
/// The thread takes every queued request at once: it publishes them (declaring each topic's
/// exchange the first time, as Dapr does) and, with `publisherConfirm`, waits for the broker's
/// confirms of the whole batch, so that concurrent publishers share the round trips. Each awaited
/// request has its continuation in `waiters` until whoever takes it out under the lock resumes it:
/// the thread, a canceller (a cancelled publish returns at once), or ``close()``.
final class RabbitMQPublisher: @unchecked Sendable {
    /// What the thread does for a request.
    enum Work: Sendable {
        case publish(exchange: String, routingKey: String, body: Data, properties: PublishProperties)
        /// Declares a subscription's exchange and queue ahead of its consumer (``RabbitMQPubSub/prepare(_:)``).
        case declare(RabbitMQTopology)
    }

    private struct Request {
        let id: UInt64
        let work: Work
    }

    private typealias Continuation = UnsafeContinuation<Void, any Error>

    /// How long the broker may take to confirm a batch.
    static let confirmTimeout: Duration = .seconds(30)

    private let settings: RabbitMQSettings
    private let logger: Logger

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Request] = []
    private var waiters: [UInt64: Continuation] = [:]
    private var nextID: UInt64 = 0
    private var isStarted = false
    private var isClosed = false
    private let end = ThreadEnd()

    // Only the thread touches these.
    private var connection: AMQPConnection?
    private var declaredExchanges: Set<String> = []
    private var publishedCount: UInt64 = 0

    init(settings: RabbitMQSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Runs `work` on the connection's thread; a cancelled call throws `CancellationError` at once.
    func perform(_ work: Work) async throws {
        let id = condition.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: Continuation) in
                enqueue(Request(id: id, work: work), continuation)
            }
        } onCancel: {
            cancel(id)
        }
    }

    private func enqueue(_ request: Request, _ continuation: Continuation) {
        condition.lock()
        if isClosed {
            condition.unlock()
            continuation.resume(throwing: RabbitMQFailure.closed(settings.endpoint))
            return
        }
        // Checked under the lock: a cancellation after this finds the request in `waiters`.
        if Task.isCancelled {
            condition.unlock()
            continuation.resume(throwing: CancellationError())
            return
        }
        queue.append(request)
        waiters[request.id] = continuation
        let start = !isStarted
        isStarted = true
        condition.unlock()
        condition.signal()
        if start {
            OwnedThread.start(named: "meshkit-rmq-pub") { [self] in run() }
        }
    }

    private func cancel(_ id: UInt64) {
        condition.lock()
        let continuation = waiters.removeValue(forKey: id)
        queue.removeAll { $0.id == id }
        condition.unlock()
        continuation?.resume(throwing: CancellationError())
    }

    /// Fails what is queued, ends the thread once its batch is done, and returns when it has.
    func close() async {
        guard markClosed() else { return }
        await end.wait()
    }

    /// Marks the publisher closed and fails what is awaited; returns whether the thread runs.
    private func markClosed() -> Bool {
        condition.lock()
        let failed = Array(waiters.values)
        waiters.removeAll()
        queue.removeAll()
        isClosed = true
        let running = isStarted && !end.hasEnded
        condition.unlock()
        condition.broadcast()
        for continuation in failed { continuation.resume(throwing: RabbitMQFailure.closed(settings.endpoint)) }
        return running
    }

    /// The thread's loop: take every queued request, handle them, repeat until closed. While idle
    /// it wakes every half heartbeat to keep the connection alive.
    private func run() {
        var batch: [Request] = []
        while true {
            condition.lock()
            while queue.isEmpty && !isClosed {
                let idle = settings.heartbeat > .zero ? settings.heartbeat / 2 : Duration.seconds(60)
                if !condition.wait(until: Date(timeIntervalSinceNow: Double(idle.wholeMilliseconds) / 1000)), connection != nil {
                    condition.unlock()
                    keepAlive()
                    condition.lock()
                }
            }
            if isClosed {
                condition.unlock()
                break
            }
            swap(&batch, &queue)
            condition.unlock()
            process(batch)
            batch.removeAll(keepingCapacity: true)
        }
        connection = nil
        end.markEnded()
    }

    /// Sends a heartbeat if one is due, and notices a broken connection.
    private func keepAlive() {
        do {
            _ = try connection?.nextConfirm(within: .zero)
        } catch {
            drop(error)
        }
    }

    private func process(_ batch: [Request]) {
        let pending = batch.filter(isAwaited)
        guard !pending.isEmpty else { return }
        let connection: AMQPConnection
        do {
            connection = try connected()
        } catch {
            for request in pending { finish(request.id, .failure(RabbitMQFailure.unreachable(settings.endpoint, reason: error.reason))) }
            return
        }
        var confirming: [(tag: UInt64, id: UInt64, topic: String)] = []
        var index = 0
        do throws(AMQPConnection.Failure) {
            while index < pending.count {
                let request = pending[index]
                switch request.work {
                case .declare(let topology):
                    try topology.declare(on: connection, settings: settings)
                    finish(request.id, .success(()))
                case .publish(let exchange, let routingKey, let body, let properties):
                    if declaredExchanges.insert(exchange).inserted {
                        try RabbitMQTopology.declareExchange(exchange, kind: settings.exchangeKind, on: connection)
                    }
                    try connection.publish(exchange: exchange, routingKey: routingKey, body: body, properties: properties)
                    publishedCount += 1
                    if settings.publisherConfirm {
                        confirming.append((publishedCount, request.id, exchange))
                    } else {
                        finish(request.id, .success(()))
                    }
                }
                index += 1
            }
            try awaitConfirms(confirming, on: connection)
        } catch {
            drop(error)
            let unanswered = confirming.map(\.id) + pending[index...].map(\.id)
            for id in unanswered { finish(id, .failure(RabbitMQFailure.unreachable(settings.endpoint, reason: error.reason))) }
        }
    }

    /// Waits for the broker to confirm every tag in `confirming`, resolving each request as its
    /// confirm (or `basic.nack`) arrives.
    private func awaitConfirms(_ confirming: [(tag: UInt64, id: UInt64, topic: String)], on connection: AMQPConnection)
        throws(AMQPConnection.Failure)
    {
        var remaining = confirming[...]
        let deadline = ContinuousClock.now + Self.confirmTimeout
        while let last = remaining.last {
            guard ContinuousClock.now < deadline, !closing else {
                throw AMQPConnection.Failure(reason: "no confirm for tag \(last.tag) within \(Self.confirmTimeout)")
            }
            guard let confirm = try connection.nextConfirm(within: .milliseconds(100)) else { continue }
            while let first = remaining.first, first.tag == confirm.tag || (confirm.multiple && first.tag < confirm.tag) {
                remaining.removeFirst()
                let result: Result<Void, any Error> =
                    confirm.isAck
                    ? .success(())
                    : .failure(
                        RabbitMQFailure.notConfirmed(settings.endpoint, topic: first.topic, reason: "the broker answered basic.nack")
                    )
                finish(first.id, result)
            }
        }
    }

    private var closing: Bool { condition.withLock { isClosed } }

    private func connected() throws(AMQPConnection.Failure) -> AMQPConnection {
        if let connection { return connection }
        let connection = try AMQPConnection(
            endpoint: settings.endpoint,
            heartbeat: settings.heartbeat,
            clientName: settings.clientName,
            timeout: .seconds(5)
        )
        if settings.publisherConfirm { try connection.selectConfirms() }
        self.connection = connection
        declaredExchanges.removeAll()
        publishedCount = 0
        return connection
    }

    private func drop(_ error: AMQPConnection.Failure) {
        logger.warning(
            "the RabbitMQ publishing connection failed; reconnecting on the next publish",
            metadata: ["error": "\(error.reason)"]
        )
        connection = nil
    }

    private func isAwaited(_ request: Request) -> Bool {
        condition.withLock { waiters[request.id] != nil }
    }

    private func finish(_ id: UInt64, _ result: Result<Void, any Error>) {
        let continuation = condition.withLock { waiters.removeValue(forKey: id) }
        continuation?.resume(with: result)
    }
}
