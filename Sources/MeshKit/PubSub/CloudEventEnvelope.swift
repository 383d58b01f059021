import Foundation

/// Wraps a published payload in a CloudEvent 1.0 envelope exactly as Dapr does (components-contrib
/// `pubsub/envelope.go`, dapr/dapr `pkg/runtime/pubsub/cloudevents.go`).
///
/// - An `application/json` payload goes in `data` byte for byte when it parses (as a string when
///   it does not); `application/octet-stream` in `data_base64`; every other type, `+json`,
///   `text/*`, XML and `image/png` alike, in `data` as a string, with bytes that are not UTF-8
///   replaced as Go replaces them (see ``ContentType``, ``GoLossyString``). A payload with no
///   content type is `text/plain`.
/// - `source` is the app ID; `cloudevent.id`, `cloudevent.source`, `cloudevent.type`,
///   `cloudevent.subject`, `cloudevent.traceid`, `cloudevent.traceparent` and
///   `cloudevent.tracestate` metadata override attributes (``CloudEventOverrides``); an empty
///   `id`, `source` or `type` falls back to Dapr's defaults (a new UUID, `Dapr`,
///   `com.dapr.event.sent`). `traceid` and `traceparent` carry the same value: the
///   `traceparent` override, else the `traceid` override, else the publisher's trace.
/// - A payload published as `application/cloudevents+json` is the user's own CloudEvent: its
///   attributes are kept and no `cloudevent.*` override applies; `topic` and `pubsubname` are
///   set; missing `source`, `type`, `specversion` and `time` are filled with Dapr's defaults
///   (`source` is `Dapr`, as in Dapr, not the app ID); without a `traceid` attribute, `traceid`
///   and `traceparent` become the publisher's trace; a missing `tracestate` is the publisher's.
///   MeshKit also gives an event without `id` a new one, which Dapr leaves out.
/// - `rawPayload: "true"` metadata skips the envelope.
/// - `ttlInSeconds` metadata adds an `expiration` attribute; expired events are not delivered.
struct CloudEventEnvelope {
    var appID: String
    var pubsubName: String
    var now: Date

    /// The Dapr event type of MeshKit's envelopes.
    static let eventType = "com.dapr.event.sent"
    /// Dapr's `source` for a user's CloudEvent that has none, and for an empty override.
    static let defaultSource = "Dapr"
    /// The extension attribute carrying trace context keys other than `traceparent` and `tracestate`.
    static let traceExtension = "meshkittrace"

    /// The message to hand to the component.
    func message(topic: String, payload: Data, contentType: String?, metadata: [String: String]) throws(MeshError) -> PubSubMessage {
        if metadata["rawPayload"]?.lowercased() == "true" {
            return PubSubMessage(topic: topic, data: payload, contentType: contentType, metadata: metadata)
        }
        let trace = TraceContextCarrier.inject()
        var event =
            try ContentType.isCloudEvent(contentType)
            ? userEvent(payload, topic: topic, trace: trace)
            : envelope(payload, contentType: contentType ?? ContentType.plainText, overrides: CloudEventOverrides(metadata), trace: trace)
        event.set("topic", string: topic)
        event.set("pubsubname", string: pubsubName)
        let otherKeys = trace.filter { !TraceContextCarrier.w3cKeys.contains($0.key) }
        if !otherKeys.isEmpty {
            // Context of instruments that do not speak W3C, in one extension attribute.
            event.set(Self.traceExtension, raw: JSONValue.object(otherKeys.mapValues(JSONValue.string)).serialized())
        }
        if let ttl = metadata["ttlInSeconds"] {
            guard let seconds = Int(ttl), seconds > 0 else {
                throw MeshError(
                    .malformedRequest,
                    "ttlInSeconds must be a positive whole number of seconds, not '\(ttl)'",
                    context: .init(field: "ttlInSeconds", subject: topic)
                )
            }
            event.set("expiration", string: RFC3339.string(from: now.addingTimeInterval(TimeInterval(seconds))))
        }
        return PubSubMessage(topic: topic, data: event.serialized(), contentType: ContentType.cloudEvents, metadata: metadata)
    }

    private func envelope(_ payload: Data, contentType: String, overrides: CloudEventOverrides, trace: [String: String]) -> RawJSONObject {
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        var event = RawJSONObject()
        event.set("specversion", string: "1.0")
        event.set("id", string: nonEmpty(overrides["id"]) ?? FastRandom.uuidString())
        event.set("source", string: overrides["source"].map { $0.isEmpty ? Self.defaultSource : $0 } ?? appID)
        event.set("type", string: nonEmpty(overrides["type"]) ?? Self.eventType)
        event.set("datacontenttype", string: contentType)
        event.set("time", string: RFC3339.string(from: now))
        if let subject = nonEmpty(overrides["subject"]) { event.set("subject", string: subject) }
        let traceParent = nonEmpty(overrides["traceparent"]) ?? overrides["traceid"] ?? trace["traceparent"] ?? ""
        event.set("traceid", string: traceParent)
        event.set("traceparent", string: traceParent)
        event.set("tracestate", string: overrides["tracestate"] ?? trace["tracestate"] ?? "")
        if ContentType.isJSON(contentType), (try? JSONSerialization.jsonObject(with: payload, options: .fragmentsAllowed)) != nil {
            event.set("data", raw: payload)
        } else if ContentType.isBinary(contentType) {
            event.set("data_base64", string: payload.base64EncodedString())
        } else {
            // Dapr keeps everything else, and JSON that does not parse, as a (Go) string.
            event.set("data", string: GoLossyString.string(payload))
        }
        return event
    }

    private func userEvent(_ payload: Data, topic: String, trace: [String: String]) throws(MeshError) -> RawJSONObject {
        var event: RawJSONObject
        do {
            event = try RawJSONObject(parsing: payload)
        } catch {
            throw MeshError(
                .cloudEventMalformed,
                "the payload was published as \(ContentType.cloudEvents) but is not a JSON object: \(error)",
                context: .init(subject: topic)
            )
        }
        func isAbsent(_ key: String) -> Bool { event.raw(key).map { $0 == Data("null".utf8) } ?? true }
        if isAbsent("specversion") { event.set("specversion", string: "1.0") }
        if isAbsent("id") { event.set("id", string: FastRandom.uuidString()) }
        if isAbsent("source") { event.set("source", string: Self.defaultSource) }
        if isAbsent("type") { event.set("type", string: Self.eventType) }
        if event.raw("time") == nil { event.set("time", string: RFC3339.string(from: now)) }
        if event.raw("traceid") == nil {
            event.set("traceid", string: trace["traceparent"] ?? "")
            event.set("traceparent", string: trace["traceparent"] ?? "")
        }
        if event.raw("tracestate") == nil { event.set("tracestate", string: trace["tracestate"] ?? "") }
        return event
    }
}
