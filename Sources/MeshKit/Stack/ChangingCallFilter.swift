/// A filter like ``SynchronousCallFilter`` that also changes the call on its way in, or the
/// result on its way out: a VirtualService route, the access log.
///
/// ``CallStack`` runs it inline too: it gives ``enter(_:)`` a copy of the call to change, runs
/// the rest of the stack with the changed call, and hands the result to ``exit(_:_:returning:)``,
/// without the async frames of a call through ``CallFilter/handle(_:next:)``. Its `handle`, for a
/// caller outside the stack, does the same.
@usableFromInline
protocol ChangingCallFilter: CallFilter, AnyObject {
    /// Lets `call` in, changing it as the rest of the stack should see it, or throws to reject
    /// it. What it returns is handed back to the `exit` that follows.
    ///
    /// A filter that cannot decide without waiting (a balancer whose resolver must be asked)
    /// returns `nil`, with `call` unchanged, and implements ``CallFilter/handle(_:next:)``
    /// itself: the stack then runs that instead.
    func enter<Result: Sendable>(_ call: inout MeshCall<Result>) throws -> FilterTicket?

    /// Sees the result the rest of the stack returned for `call` (as ``enter(_:)`` changed it),
    /// and may change it in place (so that a result passes the filters on its way out without a
    /// copy).
    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: inout Result)

    /// Sees the error the rest of the stack threw for `call`, which the stack then rethrows.
    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error)
}

extension ChangingCallFilter {
    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        var changed = call
        // `nil` comes only from a filter with a `handle` of its own (see `enter`).
        guard let ticket = try enter(&changed) else { return try await next(call) }
        let call = changed
        return try await handleInline(
            call,
            next: next,
            returning: { result in
                var result = result
                exit(ticket, call, returning: &result)
                return result
            },
            throwing: { error in exit(ticket, call, throwing: error) }
        )
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {}
}
