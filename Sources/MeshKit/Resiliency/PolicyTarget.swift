/// What a call is aimed at, for choosing its policies: an app, or a component and a direction.
public struct PolicyTarget: Hashable, Sendable, CustomStringConvertible {
    /// The building block of a component target, which picks Dapr's default policy names.
    public enum ComponentKind: String, Hashable, Sendable {
        case state = "Statestore"
        case pubsub = "Pubsub"
    }

    /// The direction of a component call.
    public enum Direction: String, Hashable, Sendable {
        /// Calls the app makes to the component: state calls and publishes.
        case outbound = "Outbound"
        /// Calls the component makes to the app: subscription deliveries.
        case inbound = "Inbound"
    }

    enum Kind: Hashable, Sendable {
        case app(String)
        case appInbound(String)
        case component(name: String, kind: ComponentKind, direction: Direction)
    }

    let kind: Kind

    /// Invocations of an app.
    public static func app(_ appID: String) -> PolicyTarget {
        PolicyTarget(kind: .app(appID))
    }

    /// Invocations an app receives, by any transport: MeshKit's
    /// `spec.targets.apps.<appID>.inbound` policies.
    public static func appInbound(_ appID: String) -> PolicyTarget {
        PolicyTarget(kind: .appInbound(appID))
    }

    /// Calls of a component in one direction.
    public static func component(_ name: String, _ kind: ComponentKind, _ direction: Direction) -> PolicyTarget {
        PolicyTarget(kind: .component(name: name, kind: kind, direction: direction))
    }

    public var description: String {
        switch kind {
        case .app(let appID): "app '\(appID)'"
        case .appInbound(let appID): "app '\(appID)' (inbound)"
        case .component(let name, _, let direction): "component '\(name)' (\(direction.rawValue.lowercased()))"
        }
    }

    /// The app a target of ``app(_:)`` invokes; `nil` for other targets.
    var appID: String? {
        if case .app(let appID) = kind { appID } else { nil }
    }

    /// The `target` dimension of metrics: `app:<id>` or `component:<name>:<direction>`.
    var metricLabel: String {
        switch kind {
        case .app(let appID): "app:\(appID)"
        case .appInbound(let appID): "app:\(appID):inbound"
        case .component(let name, _, let direction): "component:\(name):\(direction.rawValue.lowercased())"
        }
    }

    /// Dapr's default policy names for this target, most specific first, for a policy type such as
    /// `Retry`, `Timeout` or `CircuitBreaker`.
    func defaultPolicyNames(_ type: String) -> [String] {
        switch kind {
        case .app:
            return ["DefaultApp\(type)Policy", "Default\(type)Policy"]
        case .appInbound:
            // Dapr's default policies are for calls an app makes; nothing applies by default to
            // the calls it receives.
            return []
        case .component(_, let componentKind, let direction):
            var names: [String] = []
            if direction == .outbound || componentKind == .pubsub {
                names.append("Default\(componentKind.rawValue)Component\(direction.rawValue)\(type)Policy")
            }
            names += ["DefaultComponent\(direction.rawValue)\(type)Policy", "DefaultComponent\(type)Policy", "Default\(type)Policy"]
            return names
        }
    }
}
