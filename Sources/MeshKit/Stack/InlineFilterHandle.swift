/// Runs `next` with `call` and shows its outcome to a filter the stack runs inline (a
/// ``SynchronousCallFilter`` or a ``ChangingCallFilter``) that was called through
/// ``CallFilter/handle(_:next:)`` instead: `returning` sees the result and gives the one to
/// return, `throwing` sees the error, which is then rethrown.
func handleInline<Result: Sendable>(
    _ call: MeshCall<Result>,
    next: @Sendable (MeshCall<Result>) async throws -> Result,
    returning: (Result) -> Result,
    throwing: (any Error) -> Void
) async throws -> Result {
    let result: Result
    do {
        result = try await next(call)
    } catch {
        throwing(error)
        throw error
    }
    return returning(result)
}
