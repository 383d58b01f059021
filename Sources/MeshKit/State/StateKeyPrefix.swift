/// How a state store prefixes keys, from its `keyPrefix` metadata, as Dapr does it.
///
/// | `keyPrefix` | stored key |
/// |---|---|
/// | `appid` (default) | `order-service||order-1` |
/// | `name` | `statestore||order-1` |
/// | `namespace` | `production.order-service||order-1` (the app ID alone without a namespace) |
/// | `none` | `order-1` |
/// | any other text | `text||order-1` |
public enum StateKeyPrefix: Sendable, Hashable {
    case appID
    case storeName
    case namespace
    case none
    case custom(String)

    /// The separator between prefix and key.
    public static let separator = "||"

    /// Reads the `keyPrefix` metadata value.
    public init(metadata value: String?) {
        guard let value, !value.isEmpty else {
            self = .appID
            return
        }
        switch value.lowercased() {
        case "appid": self = .appID
        case "name": self = .storeName
        case "namespace": self = .namespace
        case "none": self = .none
        default: self = .custom(value)
        }
    }

    /// The prefix text for a given app and store, or `nil` for ``none``.
    func prefix(appID: String, storeName: String, namespace: String?) -> String? {
        switch self {
        case .appID: appID
        case .storeName: storeName
        case .namespace: namespace.map { "\($0).\(appID)" } ?? appID
        case .none: nil
        case .custom(let text): text
        }
    }
}

/// The key mapping of one state store for one app: validates app keys and adds or strips the prefix.
struct StateKeyMapping: Sendable {
    let storeName: String
    private let prefix: String?

    init(_ mode: StateKeyPrefix, appID: String, storeName: String, namespace: String?) {
        self.storeName = storeName
        self.prefix = mode.prefix(appID: appID, storeName: storeName, namespace: namespace).map {
            $0 + StateKeyPrefix.separator
        }
    }

    /// The key as stored; throws for an empty key or one containing `||`.
    func storedKey(_ key: String) throws(MeshError) -> String {
        guard !key.isEmpty else {
            throw MeshError(.malformedRequest, "a state key must not be empty", context: .init(component: storeName))
        }
        guard !Self.containsSeparator(key) else {
            throw MeshError(
                .malformedRequest,
                "the state key '\(key)' contains '\(StateKeyPrefix.separator)', which Dapr reserves as the key-prefix separator",
                context: .init(component: storeName, subject: key)
            )
        }
        guard let prefix else { return key }
        return prefix + key
    }

    /// Whether `key` contains `||`, by bytes: Foundation's substring search costs microseconds.
    private static func containsSeparator(_ key: String) -> Bool {
        var previousWasBar = false
        for byte in key.utf8 {
            let isBar = byte == UInt8(ascii: "|")
            if isBar && previousWasBar { return true }
            previousWasBar = isBar
        }
        return false
    }

    /// The app's key for a stored key.
    func appKey(_ storedKey: String) -> String {
        guard let prefix, storedKey.hasPrefix(prefix) else { return storedKey }
        return String(storedKey.dropFirst(prefix.count))
    }
}
