import Synchronization

/// The subscriptions a ``RedisPubSub`` is running, so that its shutdown can stop them.
final class RedisActiveSubscriptions: Sendable {
    private struct State {
        var running: [ObjectIdentifier: RedisSubscriptionState] = [:]
        var isShutDown = false
    }

    private let state = Mutex(State())

    /// Adds a subscription; `false` once ``stopAll()`` has been called.
    func add(_ subscription: RedisSubscriptionState) -> Bool {
        state.withLock { state in
            guard !state.isShutDown else { return false }
            state.running[ObjectIdentifier(subscription)] = subscription
            return true
        }
    }

    /// Removes a subscription that has ended.
    func remove(_ subscription: RedisSubscriptionState) {
        _ = state.withLock { $0.running.removeValue(forKey: ObjectIdentifier(subscription)) }
    }

    /// Stops every running subscription, and refuses new ones from now on.
    func stopAll() {
        let running = state.withLock { state in
            state.isShutDown = true
            return Array(state.running.values)
        }
        for subscription in running { subscription.stop() }
    }
}
