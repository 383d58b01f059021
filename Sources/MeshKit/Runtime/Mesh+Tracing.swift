import Tracing

extension Mesh {
    /// Runs a state operation: a database client span, by OpenTelemetry's database conventions
    /// (``DatabaseSpan``), around the store's outbound stack.
    func stateCall<Result: Sendable>(
        _ operation: String,
        store: String,
        _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        let tracer = tracing.tracerForOutgoingCall()
        return try await withSampledSpan(
            DatabaseSpan.name(operation: operation, store: store),
            ofKind: .client,
            tracer: tracer
        ) {
            span in
            if let span, span.isRecording {
                DatabaseSpan.setAttributes(operation: operation, store: store, type: components.stateStoreType(store), on: span)
            }
            let target = PolicyTarget.component(store, .state, .outbound)
            return try await policies.stack(for: target).execute(target, trace: CallTrace(of: span, by: tracer), body)
        }
    }
}
