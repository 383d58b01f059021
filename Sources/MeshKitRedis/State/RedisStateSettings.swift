import MeshKit

/// The settings of `state.redis`, from Dapr's metadata.
struct RedisStateSettings: Sendable {
    /// How to reach Redis.
    var connection: RedisConnectionOptions
    /// The TTL of a write whose request has no `ttlInSeconds` (the component's `ttlInSeconds`).
    var defaultTTL: StateTTL?

    /// The state metadata besides the connection's; `keyPrefix` is the mesh's, `actorStateStore`
    /// and the rest are accepted and ignored.
    static let metadataNames: Set<String> = ["ttlinseconds", "keyprefix", "actorstatestore"]

    /// Reads the metadata; a bad value throws an error naming the field.
    init(metadata: ComponentMetadata) throws(MeshError) {
        connection = try RedisConnectionOptions(metadata: metadata)
        if let text = metadata["ttlInSeconds"], !text.isEmpty {
            do {
                defaultTTL = try StateTTL.parse([StateTTL.metadataKey: text], key: metadata.componentName)
            } catch {
                throw metadata.invalid("ttlInSeconds", text, "-1 or a positive whole number of seconds")
            }
        }
        _ = try metadata.bool("actorStateStore", default: false)
    }
}
