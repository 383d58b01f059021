public import HTTPTypes

/// The hook through which an invocation's deadline reaches the HTTP transport.
///
/// MeshKit's core has no deadline on ``InvocationRequest`` yet. Until it does, the pipeline (or
/// the app) binds the deadline of the current call to this task-local value; the transport then
/// caps the attempt's timeout at the time left and sends it to the callee as
/// `x-meshkit-deadline: <milliseconds>m` (gRPC's `grpc-timeout` syntax). With no deadline bound,
/// no header is sent.
///
/// ```swift
/// try await InvocationDeadline.$current.withValue(.now + .seconds(2)) {
///     try await mesh.invoke(appID: "product-service", method: "products/42")
/// }
/// ```
public enum InvocationDeadline {
    /// The deadline of the invocation the current task makes, if any.
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// The time left before ``current``, or `nil` without a deadline.
    static func remaining(now: ContinuousClock.Instant = .now) -> Duration? {
        current.map { now.duration(to: $0) }
    }

    /// The header value for `remaining`: whole milliseconds, rounded up, with unit `m`.
    static func headerValue(_ remaining: Duration) -> String {
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return "\(max(1, milliseconds))m"
    }
}

extension HTTPField.Name {
    /// `x-meshkit-deadline`: the time the callee has left, in milliseconds (`250m`).
    public static let meshKitDeadline = HTTPField.Name("x-meshkit-deadline")!
}
