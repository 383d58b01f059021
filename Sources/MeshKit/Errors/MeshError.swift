/// The one error type MeshKit throws.
///
/// A `MeshError` carries a ``Code`` that says what kind of failure happened, a human-readable
/// message, and the context a user needs to act on it: the file, line and field of a bad
/// resource, the component involved, the key, and so on.
///
/// Two errors are equal when their codes are equal, so tests and callers can match on the code:
///
/// ```swift
/// do { try await mesh.saveState(store: "statestore", key: "order", value: order, etag: etag) }
/// catch let error as MeshError where error.code == .etagMismatch { ... }
/// ```
public struct MeshError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public let code: Code
    /// A sentence that says what went wrong.
    public let message: String
    /// Where the failure comes from, when it comes from a resource file or a component.
    public let context: Context
    /// The error that caused this one, if any.
    public let underlying: (any Error)?
    /// The answer of the app, when the error is one: the status and body of a non-2xx answer to
    /// `invoke(…, as:)`, or a 2xx answer whose body could not be decoded.
    public let response: InvocationResponse?

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        context: Context = .init(),
        underlying: (any Error)? = nil,
        response: InvocationResponse? = nil
    ) {
        self.code = code
        self.message = message
        self.context = context
        self.underlying = underlying
        self.response = response
    }

    public static func == (lhs: MeshError, rhs: MeshError) -> Bool {
        lhs.code == rhs.code
    }

    public var description: String {
        var text = "\(code.daprCode): \(message)"
        let location = context.description
        if !location.isEmpty {
            text += " (\(location))"
        }
        if let underlying {
            text += " [underlying: \(underlying)]"
        }
        return text
    }
}

extension MeshError {
    /// Where an error comes from: every field is optional and only the known ones are printed.
    public struct Context: Sendable, Hashable, CustomStringConvertible {
        /// The resource file the error was found in.
        public var file: String?
        /// The 1-based line in ``file``.
        public var line: Int?
        /// The dotted path of the offending field, such as `spec.metadata[0].value`.
        public var field: String?
        /// The component involved, by name.
        public var component: String?
        /// The state key, topic or app ID involved.
        public var subject: String?

        /// Creates a context.
        public init(
            file: String? = nil,
            line: Int? = nil,
            field: String? = nil,
            component: String? = nil,
            subject: String? = nil
        ) {
            self.file = file
            self.line = line
            self.field = field
            self.component = component
            self.subject = subject
        }

        public var description: String {
            var parts: [String] = []
            if let file {
                parts.append(line.map { "\(file):\($0)" } ?? file)
            }
            if let field { parts.append("field '\(field)'") }
            if let component { parts.append("component '\(component)'") }
            if let subject { parts.append("'\(subject)'") }
            return parts.joined(separator: ", ")
        }
    }
}
