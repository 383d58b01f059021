public import HTTPTypes
import MeshKit

/// The wire form of ``MeshKit/MeshDeadline``: the transport sends the time the callee has left as
/// `x-meshkit-deadline: <milliseconds>m` (gRPC's `grpc-timeout` syntax), and the server binds it
/// again for the handler, so the deadline travels across processes.
enum DeadlineHeader {
    /// The header value for `remaining`: whole milliseconds, rounded up, with unit `m`.
    static func value(_ remaining: Duration) -> String {
        "\(max(1, remaining.wholeMilliseconds))m"
    }

    /// The time left that a header value carries, or `nil` when it is not one.
    static func remaining(_ value: String) -> Duration? {
        guard value.hasSuffix("m"), let milliseconds = Int64(value.dropLast()), milliseconds >= 0 else { return nil }
        return .milliseconds(milliseconds)
    }
}

extension HTTPField.Name {
    /// `x-meshkit-deadline`: the time the callee has left, in milliseconds (`250m`).
    public static let meshKitDeadline = HTTPField.Name("x-meshkit-deadline")!
}
