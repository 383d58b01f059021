/// The `cloudevent.*` publish metadata that overrides attributes of the envelope Dapr builds
/// around a payload (dapr/dapr `pkg/runtime/pubsub/cloudevents.go`): `id`, `source`, `type`,
/// `subject`, `traceid`, `traceparent` and `tracestate`, with keys matched in any case, as
/// Dapr's `mapstructure.WeakDecode` matches them. A user's own CloudEvent takes none of them.
struct CloudEventOverrides {
    private let values: [String: String]

    static let attributes = ["id", "source", "type", "subject", "traceid", "traceparent", "tracestate"]

    init(_ metadata: [String: String]) {
        var values: [String: String] = [:]
        for (key, value) in metadata {
            let lowered = key.lowercased()
            guard lowered.hasPrefix("cloudevent.") else { continue }
            let attribute = String(lowered.dropFirst("cloudevent.".count))
            if Self.attributes.contains(attribute) { values[attribute] = value }
        }
        self.values = values
    }

    /// The override of `attribute`, if the metadata has one (possibly empty).
    subscript(_ attribute: String) -> String? {
        values[attribute]
    }
}
