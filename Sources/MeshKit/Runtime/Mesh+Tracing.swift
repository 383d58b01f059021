import Tracing

extension Mesh {
    /// Runs a state operation: a client span named after the operation, with the OpenTelemetry
    /// database attributes, around the store's outbound stack.
    func stateCall<Result: Sendable>(
        _ operation: String,
        store: String,
        _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withSpan(operation, ofKind: .client) { span in
            if span.isRecording {
                span.attributes["db.system"] = "dapr.state"
                span.attributes["db.operation.name"] = operation
                span.attributes["db.namespace"] = store
            }
            let target = PolicyTarget.component(store, .state, .outbound)
            return try await policies.stack(for: target).execute(target, body)
        }
    }
}
