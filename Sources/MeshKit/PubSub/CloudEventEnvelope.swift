import Foundation

/// Wraps a published payload in a CloudEvent 1.0 envelope exactly as Dapr does.
///
/// - JSON payloads go in `data` byte for byte; text payloads go in `data` as a string; anything
///   else (or text that is not UTF-8) goes in `data_base64`.
/// - A payload published as `application/cloudevents+json` is the user's own CloudEvent: its
///   attributes are kept, and only missing ones are filled in (`topic` and `pubsubname` are set).
/// - `rawPayload: "true"` metadata skips the envelope.
/// - `ttlInSeconds` metadata adds an `expiration` attribute; expired events are not delivered.
/// - `cloudevent.id`, `cloudevent.source`, `cloudevent.type` and `cloudevent.subject` metadata
///   override those attributes, as in Dapr.
struct CloudEventEnvelope {
    var appID: String
    var pubsubName: String
    var now: Date

    /// The Dapr event type of MeshKit's envelopes.
    static let eventType = "com.dapr.event.sent"
    /// The extension attribute carrying trace context keys other than `traceparent` and `tracestate`.
    static let traceExtension = "meshkittrace"

    /// The message to hand to the component.
    func message(topic: String, payload: Data, contentType: String?, metadata: [String: String]) throws(MeshError) -> PubSubMessage {
        if metadata["rawPayload"]?.lowercased() == "true" {
            return PubSubMessage(topic: topic, data: payload, contentType: contentType, metadata: metadata)
        }
        var event =
            try ContentType.isCloudEvent(contentType)
            ? userEvent(payload, topic: topic)
            : envelope(payload, contentType: contentType ?? ContentType.octetStream)
        event.set("topic", string: topic)
        event.set("pubsubname", string: pubsubName)
        let trace = TraceContextCarrier.inject()
        event.setIfAbsent("traceparent", string: trace["traceparent"] ?? "")
        event.setIfAbsent("traceid", string: event.string("traceparent") ?? "")
        event.setIfAbsent("tracestate", string: trace["tracestate"] ?? "")
        let otherKeys = trace.filter { !TraceContextCarrier.w3cKeys.contains($0.key) }
        if !otherKeys.isEmpty {
            // Context of instruments that do not speak W3C, in one extension attribute.
            event.set(Self.traceExtension, raw: JSONValue.object(otherKeys.mapValues(JSONValue.string)).serialized())
        }
        for attribute in ["id", "source", "type", "subject"] {
            if let value = metadata["cloudevent.\(attribute)"] { event.set(attribute, string: value) }
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

    private func envelope(_ payload: Data, contentType: String) -> RawJSONObject {
        var event = RawJSONObject()
        event.set("specversion", string: "1.0")
        event.set("id", string: FastRandom.uuidString())
        event.set("source", string: appID)
        event.set("type", string: Self.eventType)
        event.set("datacontenttype", string: contentType)
        event.set("time", string: RFC3339.string(from: now))
        if ContentType.isJSON(contentType), (try? JSONSerialization.jsonObject(with: payload, options: .fragmentsAllowed)) != nil {
            event.set("data", raw: payload)
        } else if ContentType.isText(contentType) || ContentType.isJSON(contentType), let text = String(data: payload, encoding: .utf8) {
            // Dapr keeps text, and JSON that does not parse, as a string.
            event.set("data", string: text)
        } else {
            event.set("data_base64", string: payload.base64EncodedString())
        }
        return event
    }

    private func userEvent(_ payload: Data, topic: String) throws(MeshError) -> RawJSONObject {
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
        event.setIfAbsent("specversion", string: "1.0")
        event.setIfAbsent("id", string: FastRandom.uuidString())
        event.setIfAbsent("source", string: appID)
        event.setIfAbsent("type", string: Self.eventType)
        event.setIfAbsent("time", string: RFC3339.string(from: now))
        if event.raw("data") != nil {
            event.setIfAbsent("datacontenttype", string: ContentType.json)
        }
        return event
    }
}
