/// Fault injection: delays a share of calls and aborts a share, with the HTTP status as the
/// call's result where the call has one (an invocation), else ``MeshError/Code/faultInjected``.
struct FaultFilter: CallFilter {
    let fault: FaultInjection

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        let decision = fault.decide()
        if let delay = decision.delay {
            try await Task.sleep(for: delay)
        }
        if let status = decision.abortStatus {
            if let result = call.reading.aborted(status) { return result }
            throw MeshError(.faultInjected, "fault injection aborted the call to \(call.target) with status \(status)")
        }
        return try await next(call)
    }
}

extension StackModule {
    static let fault = StackModule(name: .fault) { context in
        context.policies.fault.map { FaultFilter(fault: $0) }
    }
}
