/// Binds ``MeshDeadline/current`` for the call: the earlier of the target's deadline and one
/// already bound, so that every attempt and every wait between them, and the calls downstream,
/// see it.
struct DeadlineFilter: CallFilter {
    let deadline: Duration

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard let bound = MeshDeadline.tightened(by: deadline), bound != MeshDeadline.current else {
            return try await next(call)
        }
        return try await MeshDeadline.$current.withValue(bound) { try await next(call) }
    }
}

extension StackModule {
    static let deadline = StackModule(name: .deadline) { context in
        context.policies.deadline.map { DeadlineFilter(deadline: $0) }
    }
}
