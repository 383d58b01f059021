/// A target's stack as the mesh runs it: the ``CallStack`` and what its calls are given before
/// the first filter sees them.
final class TargetStack: Sendable {
    let target: PolicyTarget
    let stack: CallStack
    /// The retry policy's `matching`, which every filter's reading of a result uses.
    let retryMatching: RetryMatching?

    init(target: PolicyTarget, stack: CallStack, retryMatching: RetryMatching?) {
        self.target = target
        self.stack = stack
        self.retryMatching = retryMatching
    }

    /// Runs `call` through the stack, then `body`.
    @inline(__always)
    nonisolated(nonsending) func execute<Result: Sendable>(
        _ call: MeshCall<Result>,
        _ body: nonisolated(nonsending) @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        var call = call
        call.retryMatching = retryMatching
        return try await stack.run(call, body)
    }

    /// Gives `call` what the stack's calls are given, then enters its filters inline
    /// (``CallStack/enterInline(_:)``): `nil` when some filter must run through ``execute(_:_:)``.
    func enterInline<Result: Sendable>(_ call: inout MeshCall<Result>) throws -> EnteredFilters? {
        call.retryMatching = retryMatching
        return try stack.enterInline(call)
    }

    /// Runs `body` through the stack as a call of `target` that reads every returned result as a
    /// success: a state call, a publish. `trace` names the attempts' spans of a sampled call.
    nonisolated(nonsending) func execute<Result: Sendable>(
        _ target: PolicyTarget,
        trace: CallTrace? = nil,
        _ body: nonisolated(nonsending) @Sendable () async throws -> Result
    ) async throws -> Result {
        var call = MeshCall<Result>(target: target, reading: .returnedIsSuccess)
        call.trace = trace
        return try await execute(call) { _ in try await body() }
    }
}
