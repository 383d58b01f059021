import ServiceLifecycle
import Synchronization

/// A multi-consumer FIFO of messages for one consumer group of one in-memory topic.
///
/// Consumers wait in ``next()``; ``stop()`` wakes them empty-handed while keeping every queued
/// message, so that a graceful shutdown leaves undelivered messages pending.
final class DeliveryQueue: Sendable {
    private struct State {
        var messages: [PubSubMessage] = []
        var head = 0
        var waiters: [Int: CheckedContinuation<PubSubMessage?, Never>] = [:]
        var nextWaiterID = 0
        var consuming = true
        var awaitingRedelivery = 0

        var count: Int { messages.count - head }

        mutating func popFirst() -> PubSubMessage? {
            guard head < messages.count else { return nil }
            let message = messages[head]
            head += 1
            if head > 64, head * 2 > messages.count {
                messages.removeFirst(head)
                head = 0
            }
            return message
        }
    }

    private let state = Mutex(State())

    /// Messages not acknowledged: waiting to be taken, or left unacknowledged and waiting to be
    /// offered again.
    var pendingCount: Int { state.withLock { $0.count + $0.awaitingRedelivery } }

    /// Keeps an unacknowledged message and offers it again after `delay`, or at once when the
    /// wait is interrupted (by cancellation or a graceful shutdown).
    func redeliver(_ message: PubSubMessage, after delay: Duration) async {
        state.withLock { $0.awaitingRedelivery += 1 }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        state.withLock { $0.awaitingRedelivery -= 1 }
        push(message)
    }

    /// Adds a message, handing it straight to a waiting consumer when there is one.
    func push(_ message: PubSubMessage) {
        let waiter: CheckedContinuation<PubSubMessage?, Never>? = state.withLock { state in
            if state.consuming, let (id, waiter) = state.waiters.first {
                state.waiters[id] = nil
                return waiter
            }
            state.messages.append(message)
            return nil
        }
        waiter?.resume(returning: message)
    }

    /// The next message, or `nil` once consumption stops or the task is cancelled.
    func next() async -> PubSubMessage? {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: PubSubMessage?? = state.withLock { state in
                    guard state.consuming, !Task.isCancelled else { return .some(nil) }
                    if let message = state.popFirst() { return .some(message) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// Lets consumers take messages again after a ``stop()``.
    func resume() {
        state.withLock { $0.consuming = true }
    }

    /// Stops handing out messages and wakes every waiting consumer with `nil`.
    func stop() {
        let waiters = state.withLock { state in
            state.consuming = false
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }
}
