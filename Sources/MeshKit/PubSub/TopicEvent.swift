public import Foundation

/// An event delivered to a subscription handler: the CloudEvent's attributes and its data.
public struct TopicEvent: Sendable {
    // The CloudEvent attributes below are read from the envelope when asked for, not when the
    // event arrives: most handlers read one or two, and each is a string to allocate. What the
    // app sets takes their place.

    /// `id`.
    public var id: String {
        get { edits.id ?? attributes.string("id") ?? "" }
        set { edits.id = newValue }
    }
    /// `source`: the publishing app ID for MeshKit and Dapr envelopes.
    public var source: String {
        get { edits.source ?? attributes.string("source") ?? "" }
        set { edits.source = newValue }
    }
    /// `type`, such as `com.dapr.event.sent`.
    public var type: String {
        get { edits.type ?? attributes.string("type") ?? CloudEventEnvelope.eventType }
        set { edits.type = newValue }
    }
    /// `specversion`.
    public var specVersion: String {
        get { edits.specVersion ?? attributes.string("specversion") ?? "1.0" }
        set { edits.specVersion = newValue }
    }
    /// `datacontenttype`.
    public var dataContentType: String? {
        get { edits.dataContentType ?? attributes.string("datacontenttype") }
        set { edits.dataContentType = .some(newValue) }
    }
    /// `subject`.
    public var subject: String? {
        get { edits.subject ?? attributes.string("subject") }
        set { edits.subject = .some(newValue) }
    }
    /// The topic the event was delivered from.
    public var topic: String
    /// The pub/sub component the event was delivered from.
    public var pubsubName: String
    /// `traceparent`, the W3C trace context of the publisher.
    public var traceParent: String? {
        get { edits.traceParent ?? attributes.string("traceparent") }
        set { edits.traceParent = .some(newValue) }
    }
    /// `tracestate`.
    public var traceState: String? {
        get { edits.traceState ?? attributes.string("tracestate") }
        set { edits.traceState = .some(newValue) }
    }
    /// The event's data: the JSON bytes of `data`, the text of a string `data`, or the decoded
    /// bytes of `data_base64`.
    public var data: Data
    /// The route that selected the handler.
    public var route: String?
    /// Whether the payload arrived without an envelope (`rawPayload`).
    public var isRawPayload: Bool
    /// The message as it arrived on the wire.
    public let envelope: Data
    let attributes: RawJSONObject
    /// The attributes the app set; `nil` reads the envelope's.
    private var edits = AttributeEdits()
    /// The delivering mesh's decoder, the default of ``decode(_:decoder:)``.
    var jsonDecoder: JSONDecoder?

    private struct AttributeEdits: Sendable {
        var id, source, type, specVersion: String?
        // Doubly optional: an attribute the app set to `nil` stays `nil`.
        var dataContentType, subject, traceParent, traceState: String??
    }

    /// Any attribute of the envelope, including extensions.
    public func attribute(_ name: String) -> JSONValue? {
        attributes.value(name)
    }

    /// The trace context the publisher sent, as an instrument extracts it.
    var traceCarrier: [String: String] {
        var carrier: [String: String] = [:]
        if let traceParent { carrier["traceparent"] = traceParent }
        if let traceState, !traceState.isEmpty { carrier["tracestate"] = traceState }
        if case .object(let members) = attributes.value(CloudEventEnvelope.traceExtension) {
            for (key, value) in members { carrier[key] = value.stringValue }
        }
        return carrier
    }

    /// `expiration`, when the publisher set `ttlInSeconds`.
    public var expiration: Date? {
        attributes.string("expiration").flatMap(RFC3339.date(from:))
    }

    /// Decodes the data as JSON, with `decoder`, or, by default, the delivering mesh's
    /// ``MeshConfiguration/jsonDecoder``.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder? = nil) throws -> T {
        try (decoder ?? jsonDecoder ?? JSONDecoder()).decode(type, from: data)
    }

    /// Reads a message from a component as Dapr's subscriber reads it (dapr/dapr
    /// `pkg/runtime/subscription/subscription.go`): with `rawPayload`, the bytes are wrapped as
    /// Dapr wraps raw payloads; a message whose content type is `application/octet-stream` is a
    /// binary-mode CloudEvent, its attributes in `ce_*` metadata; any other message must be a
    /// JSON object, which is the CloudEvent as it stands. Anything else throws
    /// ``MeshError/Code/cloudEventMalformed``: Dapr cannot deserialize it either, and
    /// dead-letters it or leaves it to the broker to deliver again. `jsonDecoder` is the
    /// delivering mesh's.
    init(message: PubSubMessage, pubsubName: String, rawPayload: Bool, jsonDecoder: JSONDecoder? = nil) throws(MeshError) {
        self.jsonDecoder = jsonDecoder
        self.topic = message.topic
        self.pubsubName = pubsubName
        self.envelope = message.data
        let contentType = message.contentType ?? message.metadata["content-type"] ?? ContentType.json
        if rawPayload {
            var attributes = RawJSONObject()
            attributes.set("data_base64", string: message.data.base64EncodedString())
            attributes.set("datacontenttype", string: message.contentType ?? ContentType.octetStream)
            self.attributes = attributes
            self.isRawPayload = true
            self.data = message.data
        } else if ContentType.isBinary(contentType) {
            var attributes = RawJSONObject()
            for (key, value) in message.metadata where key.lowercased().hasPrefix("ce_") {
                attributes.set(String(key.lowercased().dropFirst(3)), string: value)
            }
            attributes.set("data_base64", string: message.data.base64EncodedString())
            attributes.set("datacontenttype", string: contentType)
            self.attributes = attributes
            self.isRawPayload = false
            self.data = message.data
        } else {
            guard let attributes = try? RawJSONObject(parsing: message.data) else {
                throw MeshError(
                    .cloudEventMalformed,
                    "the message is not a CloudEvent (a JSON object), and the subscription does not set rawPayload",
                    context: .init(subject: message.topic)
                )
            }
            self.attributes = attributes
            self.isRawPayload = false
            self.data = try Self.data(of: attributes, topic: message.topic)
        }
    }

    private static func data(of attributes: RawJSONObject, topic: String) throws(MeshError) -> Data {
        if let encoded = attributes.string("data_base64") {
            guard let bytes = Data(base64Encoded: encoded) else {
                throw MeshError(.cloudEventMalformed, "data_base64 is not valid base64", context: .init(subject: topic))
            }
            return bytes
        }
        guard let raw = attributes.raw("data") else { return Data() }
        if raw.first == UInt8(ascii: "\""), let text = attributes.string("data") {
            let contentType = attributes.string("datacontenttype") ?? ContentType.plainText
            // A JSON string is JSON data for a JSON content type; otherwise it carries text.
            return ContentType.isJSON(contentType) ? zeroBased(raw) : Data(text.utf8)
        }
        return zeroBased(raw)
    }

    /// A copy of `slice` (a slice of the envelope) that starts at index 0, as users expect of
    /// ``data``.
    private static func zeroBased(_ slice: Data) -> Data {
        slice.withUnsafeBytes { Data($0) }
    }

    /// The value at `path` (`["type"]`, `["data", "priority"]`), for routing rules.
    func attributeValue(at path: [String]) -> Expression.Value? {
        guard let first = path.first else { return nil }
        var value: JSONValue?
        if first == "data", path.count > 1 {
            value = try? JSONValue.parse(data)
        } else {
            value = attributes.value(first)
        }
        for component in path.dropFirst() {
            value = value?[component]
        }
        switch value {
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        default: return nil
        }
    }
}
