import Foundation

/// Writes one line per invocation, in Envoy's default format (``AccessLogLine``), to the file
/// Istio's `meshConfig.accessLogFile` names. The line shows the request as it left the mesh
/// (after routing) and the endpoint of the last attempt; its start time is the wall clock's,
/// less the call's duration on the monotonic clock.
final class AccessLogFilter: ChangingCallFilter {
    let writer: AccessLogWriter

    init(writer: AccessLogWriter) {
        self.writer = writer
    }

    func passesThrough<Result: Sendable>(_ call: MeshCall<Result>) -> Bool {
        !call.isInvocation
    }

    /// Gives the call the history its attempts record their endpoints in; the ticket is the
    /// call's start, a reading of ``MonotonicClock/systemNanoseconds()``.
    func enter<Result: Sendable>(_ call: inout MeshCall<Result>) -> FilterTicket? {
        if call.history == nil { call.history = AttemptHistory() }
        return FilterTicket(number: MonotonicClock.systemNanoseconds())
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: inout Result) {
        let response = result as? InvocationResponse
        write(call, since: ticket, status: response.map { $0.status.code } ?? 200, flags: "-", bytesSent: response?.body.count ?? 0)
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {
        write(call, since: ticket, status: 0, flags: AccessLogLine.flags(for: error), bytesSent: 0)
    }

    private func write<Result: Sendable>(_ call: MeshCall<Result>, since ticket: FilterTicket, status: Int, flags: String, bytesSent: Int) {
        guard let request = call.invocation else { return }
        let duration = Duration.nanoseconds(MonotonicClock.systemNanoseconds() - ticket.number)
        writer.append(
            AccessLogLine(
                start: Date(timeIntervalSinceNow: -duration.inSeconds),
                request: request,
                status: status,
                flags: flags,
                bytesSent: bytesSent,
                duration: duration,
                upstream: call.history?.last
            ).text
        )
    }
}

extension StackModule {
    static let accessLog = StackModule(name: .accessLog) { context in
        context.routing?.accessLog.map { AccessLogFilter(writer: $0) }
    }
}
