public import MeshKit

extension RedisNameRegistry {
    /// How long registrations live and how often they are renewed and read.
    public struct Settings: Sendable, Hashable {
        /// How long an instance stays registered after its last heartbeat (`ttl`, 10s).
        public var ttl: Duration
        /// How often a registered instance renews its entry (`heartbeatInterval`, a third of the TTL).
        public var heartbeatInterval: Duration
        /// How long a resolved app's endpoints are reused before Redis is asked again (`cacheTTL`,
        /// 1s; `0` asks on every call). A dead instance can be handed out for up to `ttl + cacheTTL`.
        public var cacheTTL: Duration
        /// The prefix of the registry's keys (`keyPrefix`, `meshkit-registry||`).
        public var keyPrefix: String

        /// Creates settings; the heartbeat defaults to a third of the TTL.
        public init(
            ttl: Duration = .seconds(10),
            heartbeatInterval: Duration? = nil,
            cacheTTL: Duration = .seconds(1),
            keyPrefix: String = "meshkit-registry||"
        ) {
            self.ttl = ttl
            self.heartbeatInterval = heartbeatInterval ?? ttl / 3
            self.cacheTTL = cacheTTL
            self.keyPrefix = keyPrefix
        }

        /// The fields ``init(metadata:)`` reads besides the Redis connection's.
        static let metadataNames: Set<String> = ["ttl", "heartbeatinterval", "cachettl", "keyprefix"]

        /// Reads `ttl`, `heartbeatInterval`, `cacheTTL` and `keyPrefix`. The heartbeat must come
        /// round within the TTL, or live instances would flicker out of the registry.
        public init(metadata: ComponentMetadata) throws(MeshError) {
            let ttl = try metadata.duration("ttl", default: .seconds(10))
            guard ttl >= .milliseconds(10) else { throw metadata.invalid("ttl", "\(ttl)", "at least 10ms") }
            let heartbeat = try metadata.duration("heartbeatInterval", default: ttl / 3)
            guard heartbeat > .zero, heartbeat < ttl else {
                throw metadata.invalid("heartbeatInterval", "\(heartbeat)", "a positive duration shorter than the ttl (\(ttl))")
            }
            let cacheTTL = try metadata.duration("cacheTTL", default: .seconds(1))
            guard cacheTTL >= .zero else { throw metadata.invalid("cacheTTL", "\(cacheTTL)", "zero or more") }
            self.init(ttl: ttl, heartbeatInterval: heartbeat, cacheTTL: cacheTTL, keyPrefix: metadata["keyPrefix"] ?? "meshkit-registry||")
        }
    }
}
