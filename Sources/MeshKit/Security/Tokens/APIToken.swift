import Foundation
public import HTTPTypes

/// A shared secret of Dapr's token authentication, carried in the `dapr-api-token` header:
/// `DAPR_API_TOKEN`, which callers of a Dapr API (this mesh's server) must send, and
/// `APP_API_TOKEN`, which Dapr sends to an app so the app knows the call came through Dapr.
///
/// The value never appears in a description, a log or an error: printing a token shows
/// `APIToken(redacted)`. Comparison takes the same time whatever the candidate's content.
public struct APIToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let bytes: [UInt8]

    /// A token of `value`; `nil` when `value` is empty, which Dapr treats as no token.
    public init?(_ value: String) {
        guard !value.isEmpty else { return nil }
        bytes = Array(value.utf8)
    }

    /// The token in the environment variable `name` (`DAPR_API_TOKEN` or `APP_API_TOKEN`),
    /// if it is set and not empty.
    public static func fromEnvironment(_ name: String) -> APIToken? {
        ProcessInfo.processInfo.environment[name].flatMap(APIToken.init)
    }

    /// Whether `candidate` is the token, compared in constant time for a given length.
    public func matches(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        var difference = UInt8(truncatingIfNeeded: candidate.utf8.count ^ bytes.count)
        var index = 0
        for byte in candidate.utf8 {
            difference |= byte ^ bytes[index % bytes.count]
            index += 1
        }
        return difference == 0
    }

    /// The value, for the header of an outbound call.
    public var headerValue: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { "APIToken(redacted)" }
    public var debugDescription: String { description }
}

extension HTTPField.Name {
    /// `dapr-api-token`: Dapr's token authentication header.
    public static let daprAPIToken = HTTPField.Name("dapr-api-token")!
}
