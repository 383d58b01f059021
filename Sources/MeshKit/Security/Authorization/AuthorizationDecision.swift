/// What ``Authorizer/decide(_:)`` decided for one request.
public struct AuthorizationDecision: Sendable, Hashable {
    /// Allowed, or why not.
    public enum Outcome: Sendable, Hashable {
        /// The request may proceed.
        case allow
        /// A DENY `AuthorizationPolicy` matched; its `namespace/name`.
        case deniedByPolicy(String)
        /// ALLOW `AuthorizationPolicy` resources apply to the app and none matched.
        case notAllowed
        /// Dapr's `accessControl` denied the call.
        case deniedByAccessControl
    }

    /// Allowed, or why not.
    public var outcome: Outcome
    /// Whether an AUDIT policy matched: the request should be logged as audited.
    public var audited: Bool

    /// Creates a decision.
    public init(_ outcome: Outcome, audited: Bool = false) {
        self.outcome = outcome
        self.audited = audited
    }

    /// Whether the request may proceed.
    public var isAllowed: Bool { outcome == .allow }
}
