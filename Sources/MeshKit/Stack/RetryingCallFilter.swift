/// A filter that passes most calls on once and only reads how that went, and takes the rest of
/// the stack over when it asks for more: the retry.
///
/// ``CallStack`` makes the first attempt itself, inline, and hands the call to the filter only
/// when the attempt threw or returned a failure, without the async frames of a call through
/// ``CallFilter/handle(_:next:)`` on the common path. The filter's `handle` does the whole of it,
/// for a caller outside the stack and for a call the filter wants to see whole.
@usableFromInline
protocol RetryingCallFilter: CallFilter, AnyObject {
    /// Makes `call`, a copy the stack made, into the call its first attempt takes; `false`, with
    /// `call` unchanged, when the filter handles this call whole (``CallFilter/handle(_:next:)``),
    /// as the retry does for a traced call, whose attempts are spans.
    func beginFirstAttempt<Result: Sendable>(_ call: inout MeshCall<Result>) -> Bool

    /// Whether `result`, returned by the attempt of `call`, stands as the call's result.
    func accepts<Result: Sendable>(_ result: Result, of call: MeshCall<Result>) -> Bool

    /// Continues `call`, whose first attempt returned `result` that ``accepts(_:of:)`` refused;
    /// `next` makes another attempt.
    func retry<Result: Sendable>(
        _ call: MeshCall<Result>,
        afterReturning result: Result,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result

    /// Continues `call`, whose first attempt threw `error`; `next` makes another attempt.
    func retry<Result: Sendable>(
        _ call: MeshCall<Result>,
        afterThrowing error: any Error,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result
}
