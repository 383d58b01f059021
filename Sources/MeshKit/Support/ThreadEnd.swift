import Synchronization

/// Tells tasks when a thread MeshKit owns has ended: the thread calls ``markEnded()`` last, and a
/// shutdown awaits ``wait()``, so that it returns only once the thread is gone.
package final class ThreadEnd: Sendable {
    private let state = Mutex<(hasEnded: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    package init() {}

    /// Whether ``markEnded()`` was called.
    package var hasEnded: Bool { state.withLock { $0.hasEnded } }

    /// Records that the thread has ended and resumes every waiter; later waits return at once.
    package func markEnded() {
        let waiters = state.withLock { state in
            state.hasEnded = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the thread has ended.
    package func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let hasEnded = state.withLock { state in
                if !state.hasEnded { state.waiters.append(waiter) }
                return state.hasEnded
            }
            if hasEnded { waiter.resume() }
        }
    }
}
