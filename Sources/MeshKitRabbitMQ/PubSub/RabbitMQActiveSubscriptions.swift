import Synchronization

/// The subscriptions a ``RabbitMQPubSub`` is running, so that its shutdown can stop them.
final class RabbitMQActiveSubscriptions: Sendable {
    private struct State {
        var running: [ObjectIdentifier: RabbitMQSubscription] = [:]
        var isShutDown = false
    }

    private let state = Mutex(State())

    /// Adds a subscription; `false` once ``stopAll()`` has been called.
    func add(_ subscription: RabbitMQSubscription) -> Bool {
        state.withLock { state in
            guard !state.isShutDown else { return false }
            state.running[ObjectIdentifier(subscription)] = subscription
            return true
        }
    }

    /// Removes a subscription that has ended.
    func remove(_ subscription: RabbitMQSubscription) {
        _ = state.withLock { $0.running.removeValue(forKey: ObjectIdentifier(subscription)) }
    }

    /// Stops every running subscription, refuses new ones from now on, and returns once their
    /// handlers in flight have finished and their consumers' threads have ended.
    func stopAll() async {
        let running = state.withLock { state in
            state.isShutDown = true
            return Array(state.running.values)
        }
        for subscription in running { subscription.stop() }
        for subscription in running { await subscription.consumer.waitUntilEnded() }
    }
}
