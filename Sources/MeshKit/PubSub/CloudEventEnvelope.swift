import Foundation

/// Wraps a published payload in a CloudEvent 1.0 envelope exactly as Dapr does (components-contrib
/// `pubsub/envelope.go`, dapr/dapr `pkg/runtime/pubsub/cloudevents.go`).
///
/// - An `application/json` payload goes in `data` byte for byte when it is JSON by Go's rules
///   (``JSONScanner``: no trailing comma, numbers within a double's range; as a string when
///   it is not); `application/octet-stream` in `data_base64`; every other type, `+json`,
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
        let trailer = try Trailer(topic: topic, pubsubName: pubsubName, trace: trace, metadata: metadata, now: now)
        let event: Data
        if ContentType.isCloudEvent(contentType) {
            var object = try userEvent(payload, topic: topic, trace: trace)
            trailer.set(in: &object)
            event = object.serialized()
        } else {
            var writer = envelope(payload, contentType: contentType ?? ContentType.plainText, overrides: CloudEventOverrides(metadata), trace: trace)
            trailer.write(to: &writer)
            event = writer.finished()
        }
        return PubSubMessage(topic: topic, data: event, contentType: ContentType.cloudEvents, metadata: metadata)
    }

    /// The attributes MeshKit sets on every event, its own envelope or the user's: `topic`,
    /// `pubsubname`, the trace context of instruments that do not speak W3C, and `expiration`.
    private struct Trailer {
        let topic: String
        let pubsubName: String
        let traceExtension: Data?
        let expiration: String?

        init(topic: String, pubsubName: String, trace: [String: String], metadata: [String: String], now: Date) throws(MeshError) {
            self.topic = topic
            self.pubsubName = pubsubName
            let otherKeys = trace.filter { !TraceContextCarrier.w3cKeys.contains($0.key) }
            // Context of instruments that do not speak W3C, in one extension attribute.
            traceExtension = otherKeys.isEmpty ? nil : JSONValue.object(otherKeys.mapValues(JSONValue.string)).serialized()
            guard let ttl = metadata["ttlInSeconds"] else {
                expiration = nil
                return
            }
            guard let seconds = Int(ttl), seconds > 0 else {
                throw MeshError(
                    .malformedRequest,
                    "ttlInSeconds must be a positive whole number of seconds, not '\(ttl)'",
                    context: .init(field: "ttlInSeconds", subject: topic)
                )
            }
            expiration = RFC3339.string(from: now.addingTimeInterval(TimeInterval(seconds)))
        }

        /// Appends the attributes to MeshKit's own envelope, which has none of them.
        func write(to writer: inout JSONObjectWriter) {
            writer.member("topic", string: topic)
            writer.member("pubsubname", string: pubsubName)
            if let traceExtension { writer.member(quoting: CloudEventEnvelope.traceExtension, raw: traceExtension) }
            if let expiration { writer.member("expiration", string: expiration) }
        }

        /// Sets the attributes on the user's event, replacing its own.
        func set(in event: inout RawJSONObject) {
            event.set("topic", string: topic)
            event.set("pubsubname", string: pubsubName)
            if let traceExtension { event.set(CloudEventEnvelope.traceExtension, raw: traceExtension) }
            if let expiration { event.set("expiration", string: expiration) }
        }
    }

    private func envelope(_ payload: Data, contentType: String, overrides: CloudEventOverrides, trace: [String: String]) -> JSONObjectWriter {
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        var event = JSONObjectWriter(capacity: payload.count + 400)
        event.member("specversion", string: "1.0")
        event.member("id", string: nonEmpty(overrides["id"]) ?? FastRandom.uuidString())
        event.member("source", string: overrides["source"].map { $0.isEmpty ? Self.defaultSource : $0 } ?? appID)
        event.member("type", string: nonEmpty(overrides["type"]) ?? Self.eventType)
        event.member("datacontenttype", string: contentType)
        event.member("time", string: RFC3339.string(from: now))
        if let subject = nonEmpty(overrides["subject"]) { event.member("subject", string: subject) }
        let traceParent = nonEmpty(overrides["traceparent"]) ?? overrides["traceid"] ?? trace["traceparent"] ?? ""
        event.member("traceid", string: traceParent)
        event.member("traceparent", string: traceParent)
        event.member("tracestate", string: overrides["tracestate"] ?? trace["tracestate"] ?? "")
        if ContentType.isJSON(contentType), JSONScanner.isValid(payload) {
            event.member("data", raw: payload)
        } else if ContentType.isBinary(contentType) {
            event.member("data_base64", string: payload.base64EncodedString())
        } else {
            // Dapr keeps everything else, and JSON that does not parse, as a (Go) string.
            event.member("data", string: GoLossyString.string(payload))
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
