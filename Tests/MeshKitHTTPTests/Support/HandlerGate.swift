import Synchronization

/// Holds invocation handlers until the test lets them go, and records which ones started.
final class HandlerGate: Sendable {
    private let state = Mutex<(started: [String], released: Set<String>)>(([], []))

    /// The IDs of the handlers that entered the gate, in order.
    var started: [String] { state.withLock { $0.started } }

    /// Records `id` as started, then waits until ``release(_:)`` lets it go; throws if the
    /// handler's task is cancelled first.
    func enter(_ id: String) async throws {
        state.withLock { $0.started.append(id) }
        while !state.withLock({ $0.released.contains(id) }) {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Lets the handler `id` go on, now or whenever it enters.
    func release(_ id: String) {
        _ = state.withLock { $0.released.insert(id) }
    }
}
