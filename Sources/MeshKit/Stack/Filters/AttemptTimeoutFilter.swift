/// Cancels an attempt at its timeout or at the call's deadline, whichever comes first, down to
/// the C edge (see ``AttemptTimer``). Present in every stack, since a deadline may come with the
/// call even when the target sets no timeout; without either the stack skips it
/// (``passesThrough(_:)``), for the cost of one task-local read.
struct AttemptTimeoutFilter: CallFilter {
    let timeout: Duration?
    let timer: AttemptTimer

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        let remaining = MeshDeadline.remaining()
        let limit: Duration
        switch (timeout, remaining) {
        case (nil, nil): return try await next(call)
        case (let timeout?, nil): limit = timeout
        case (nil, let remaining?): limit = remaining
        case (let timeout?, let remaining?): limit = min(timeout, remaining)
        }
        guard limit > .zero else {
            throw MeshError(.deadlineExceeded, "the deadline of \(call.target) passed before the attempt")
        }
        if let result = try await timer.run(until: .now + limit, { try await next(call) }) {
            return result
        }
        let isDeadline = timeout.map { limit < $0 } ?? true
        throw MeshError(
            isDeadline ? .deadlineExceeded : .timeout,
            isDeadline
                ? "the deadline of \(call.target) passed during the attempt"
                : "an attempt on \(call.target) timed out after \(limit)"
        )
    }
}

extension AttemptTimeoutFilter {
    func passesThrough<Result: Sendable>(_ call: MeshCall<Result>) -> Bool {
        timeout == nil && MeshDeadline.current == nil
    }
}

extension StackModule {
    static let attemptTimeout = StackModule(name: .attemptTimeout) { context in
        AttemptTimeoutFilter(timeout: context.policies.attemptTimeout, timer: context.timer)
    }
}
