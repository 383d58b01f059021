import Foundation

/// Writes one line per invocation, in Envoy's default format (``AccessLogLine``), to the file
/// Istio's `meshConfig.accessLogFile` names. The line shows the request as it left the mesh
/// (after routing) and the endpoint of the last attempt.
struct AccessLogFilter: CallFilter {
    let writer: AccessLogWriter

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        guard let request = call.invocation else { return try await next(call) }
        var call = call
        let history = call.history ?? AttemptHistory()
        call.history = history
        let start = Date()
        let started = ContinuousClock.now
        do {
            let result = try await next(call)
            let response = result as? InvocationResponse
            writer.append(
                AccessLogLine(
                    start: start,
                    request: request,
                    status: response.map { $0.status.code } ?? 200,
                    flags: "-",
                    bytesSent: response?.body.count ?? 0,
                    duration: started.duration(to: .now),
                    upstream: history.last
                ).text
            )
            return result
        } catch {
            writer.append(
                AccessLogLine(
                    start: start,
                    request: request,
                    status: 0,
                    flags: AccessLogLine.flags(for: error),
                    bytesSent: 0,
                    duration: started.duration(to: .now),
                    upstream: history.last
                ).text
            )
            throw error
        }
    }
}

extension StackModule {
    static let accessLog = StackModule(name: .accessLog) { context in
        context.routing?.accessLog.map { AccessLogFilter(writer: $0) }
    }
}
