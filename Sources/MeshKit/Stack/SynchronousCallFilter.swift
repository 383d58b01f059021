/// A filter whose work all happens just before and just after the rest of the stack, never
/// waits and never changes the call: a breaker's permit, a rate limit, a duration measured, an
/// outcome recorded.
///
/// ``CallStack`` runs such a filter inline, calling ``enter(_:)`` and then ``exit(_:_:returning:)``
/// or ``exit(_:_:throwing:)`` around the rest of the stack, without the async frames of a call
/// through ``CallFilter/handle(_:next:)``. Its `handle`, for a caller outside the stack, does the
/// same.
@usableFromInline
protocol SynchronousCallFilter: CallFilter, AnyObject {
    /// Lets `call` in, or throws to reject it. What it returns is handed back to the `exit` that
    /// follows.
    func enter<Result: Sendable>(_ call: MeshCall<Result>) throws -> FilterTicket

    /// Sees the result the rest of the stack returned for `call`.
    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: Result)

    /// Sees the error the rest of the stack threw for `call`, which the stack then rethrows.
    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error)
}

extension SynchronousCallFilter {
    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        let ticket = try enter(call)
        return try await handleInline(
            call,
            next: next,
            returning: { result in
                exit(ticket, call, returning: result)
                return result
            },
            throwing: { error in exit(ticket, call, throwing: error) }
        )
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: Result) {}

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {}
}
