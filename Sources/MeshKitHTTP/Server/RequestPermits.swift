import Synchronization

/// The server-wide bound on invocation handlers in flight
/// (``MeshHTTPServer/Configuration/maxConcurrentRequests``).
///
/// A connection takes a permit before it runs a handler and returns it when the handler is
/// done. While none is free the connection waits, first come first served, and reads nothing
/// more from its client, so the bound also caps what the server buffers.
final class RequestPermits: Sendable {
    private enum Waiter {
        /// Asked for a permit; its continuation is not registered yet.
        case arriving
        /// Cancelled before its continuation was registered.
        case cancelled
        /// Waiting for a permit.
        case waiting(CheckedContinuation<Void, any Error>)
    }

    private struct State {
        var available: Int
        var nextID: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
        /// Registered waiters in arrival order; cancelled ones are skipped when a permit frees.
        var queue: [UInt64] = []
    }

    private let state: Mutex<State>

    init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// Takes a permit, waiting for one if none is free; throws `CancellationError` if the task
    /// is cancelled while it waits.
    func acquire() async throws {
        let id: UInt64? = state.withLock { state in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            defer { state.nextID += 1 }
            state.waiters[state.nextID] = .arriving
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state in
                    if case .cancelled = state.waiters[id] {
                        state.waiters[id] = nil
                        return true
                    }
                    state.waiters[id] = .waiting(continuation)
                    state.queue.append(id)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, any Error>? = state.withLock { state in
                switch state.waiters[id] {
                case .arriving:
                    state.waiters[id] = .cancelled
                    return nil
                case .waiting(let continuation):
                    state.waiters[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil  // already granted, or already cancelled
                }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Returns a permit: hands it to the longest waiting connection, if any.
    func release() {
        let next: CheckedContinuation<Void, any Error>? = state.withLock { state in
            while !state.queue.isEmpty {
                let id = state.queue.removeFirst()
                if case .waiting(let continuation) = state.waiters.removeValue(forKey: id) { return continuation }
            }
            state.available += 1
            return nil
        }
        next?.resume()
    }
}
