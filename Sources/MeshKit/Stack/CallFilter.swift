/// One step of the stack every call of a target runs through: a policy, a routing decision or
/// anything an app adds, in the shape of Finagle's `Filter` and Hummingbird's `MiddlewareProtocol`.
///
/// A filter sees the call, may change it, and passes it on with `next`, once, several times (a
/// retry), or not at all (a rejection). It returns what `next` returned, or a result of its own.
///
/// ```swift
/// struct StampFilter: CallFilter {
///     func handle<Result: Sendable>(
///         _ call: MeshCall<Result>,
///         next: @Sendable (MeshCall<Result>) async throws -> Result
///     ) async throws -> Result {
///         var call = call
///         call.invocation?.headers[HTTPField.Name("x-stamp")!] = "1"
///         return try await next(call)
///     }
/// }
/// ```
///
/// Filters are built once per target and shared by every call to it, so they are `Sendable` and
/// keep per-call state in the call, not in themselves.
public protocol CallFilter: Sendable {
    /// Handles one call; `next` runs the rest of the stack.
    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result

    /// Whether ``handle(_:next:)`` would do nothing for `call` but pass it on to `next`,
    /// unchanged, and return what `next` returns. The stack then skips the filter for this
    /// call, which saves the async frames of a call through it; a filter in every stack that
    /// most calls do not need (the attempt timeout, without a timeout or a deadline) says so
    /// here. It is asked once per call, before `handle`, and must be cheap. The default is
    /// `false`.
    func passesThrough<Result: Sendable>(_ call: MeshCall<Result>) -> Bool
}

extension CallFilter {
    public func passesThrough<Result: Sendable>(_ call: MeshCall<Result>) -> Bool { false }
}
