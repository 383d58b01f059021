import Foundation
import Testing

@testable import MeshKit

/// CloudEvents built as Dapr builds them: components-contrib `contenttype/utils.go` and
/// `pubsub/envelope.go`, dapr/dapr `pkg/runtime/pubsub/cloudevents.go`.
@Suite struct CloudEventDaprParityTests {
    static func envelope(_ payload: Data, _ contentType: String?, metadata: [String: String] = [:]) throws -> [String: Any] {
        let message = try CloudEventEnvelope(appID: "shop", pubsubName: "pubsub", now: Date())
            .message(topic: "orders", payload: payload, contentType: contentType, metadata: metadata)
        return try #require(try JSONSerialization.jsonObject(with: message.data) as? [String: Any])
    }

    @Test("only application/json goes in data as JSON, only octet-stream (and CloudEvents protobuf) in data_base64, the rest as a string")
    func contentTypes() throws {
        let json = Data(#"{"a":1}"#.utf8)
        #expect((try Self.envelope(json, "application/json; charset=utf-8")["data"] as? [String: Any])?["a"] as? Int == 1)
        #expect(try Self.envelope(Data("{".utf8), "application/json")["data"] as? String == "{")
        // Go's encoding/json refuses a trailing comma (Foundation's parser would take it).
        #expect(try Self.envelope(Data("[1,]".utf8), "application/json")["data"] as? String == "[1,]")
        for asString in ["application/problem+json", "text/json", "application/json ; charset=utf-8", "application/xml", "text/plain"] {
            let event = try Self.envelope(json, asString)
            #expect(event["data"] as? String == #"{"a":1}"#, "\(asString)")
            #expect(event["datacontenttype"] as? String == asString)
        }
        for binary in ["application/octet-stream", "Application/Octet-Stream; x=y", "application/cloudevents+protobuf"] {
            let event = try Self.envelope(Data([0, 255]), binary)
            #expect(event["data_base64"] as? String == "AP8=", "\(binary)")
            #expect(event["data"] == nil)
        }
        // image/png is a string to Dapr: bytes that are not UTF-8 become U+FFFD, one per byte, as Go writes them.
        let png = try Self.envelope(Data([0x89, 0x50, 0x4E, 0x47, 0xE2, 0x82, 0x41]), "image/png")
        #expect(png["data"] as? String == "\u{FFFD}PNG\u{FFFD}\u{FFFD}A")
        #expect(png["data_base64"] == nil)
        // No content type: Dapr's default, text/plain.
        let untyped = try Self.envelope(Data("hi".utf8), nil)
        #expect(untyped["datacontenttype"] as? String == "text/plain")
        #expect(untyped["data"] as? String == "hi")
    }

    @Test("cloudevent.* metadata overrides the envelope, in any case; traceparent wins over traceid; empty id, source, type fall back")
    func overrides() throws {
        let overridden = try Self.envelope(
            Data("x".utf8),
            "text/plain",
            metadata: [
                "cloudevent.ID": "e-1", "CloudEvent.Type": "shipped", "cloudevent.subject": "order/7", "cloudevent.traceid": "t-1",
                "cloudevent.tracestate": "k=v", "cloudevent.source": "",
            ]
        )
        #expect(overridden["id"] as? String == "e-1")
        #expect(overridden["type"] as? String == "shipped")
        #expect(overridden["subject"] as? String == "order/7")
        #expect(overridden["source"] as? String == "Dapr")
        #expect(overridden["traceid"] as? String == "t-1")
        #expect(overridden["traceparent"] as? String == "t-1")
        #expect(overridden["tracestate"] as? String == "k=v")
        let both = try Self.envelope(
            Data("x".utf8),
            "text/plain",
            metadata: ["cloudevent.traceid": "t-1", "cloudevent.traceparent": "tp-1"]
        )
        #expect(both["traceid"] as? String == "tp-1")
        #expect(both["traceparent"] as? String == "tp-1")
        let plain = try Self.envelope(Data("x".utf8), "text/plain", metadata: ["cloudevent.id": ""])
        #expect(plain["source"] as? String == "shop")
        #expect((plain["id"] as? String)?.isEmpty == false)
        #expect(plain["subject"] == nil)
        #expect(plain["traceid"] as? String == plain["traceparent"] as? String)
    }

    @Test("a user's CloudEvent keeps its attributes and takes no override; missing ones are filled as Dapr fills them")
    func userCloudEvent() throws {
        let userTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let payload = Data(
            #"{"specversion":"1.0","id":"u-1","type":"custom","subject":"s","traceid":"\#(userTrace)","traceparent":"\#(userTrace)","tracestate":"a=b","ext":5,"data":{"a":1}}"#
                .utf8
        )
        let event = try Self.envelope(
            payload,
            "application/cloudevents+json",
            metadata: ["cloudevent.id": "no", "cloudevent.source": "no"]
        )
        #expect(event["id"] as? String == "u-1")
        #expect(event["type"] as? String == "custom")
        #expect(event["subject"] as? String == "s")
        #expect(event["ext"] as? Int == 5)
        #expect(event["traceparent"] as? String == userTrace)
        #expect(event["tracestate"] as? String == "a=b")
        #expect(event["source"] as? String == "Dapr")  // Dapr's DefaultCloudEventSource, not the app ID
        #expect(event["datacontenttype"] == nil)  // Dapr adds none
        #expect(event["topic"] as? String == "orders")
        #expect(event["pubsubname"] as? String == "pubsub")
        #expect(event["time"] as? String != nil)

        // Without a traceid attribute, Dapr sets traceid and traceparent to the publisher's trace.
        let untraced = try Self.envelope(
            Data(#"{"specversion":"1.0","id":"u-2","source":"mine","traceparent":"\#(userTrace)"}"#.utf8),
            "application/cloudevents+json"
        )
        #expect(untraced["source"] as? String == "mine")
        #expect(untraced["traceparent"] as? String != userTrace)
        #expect(untraced["traceid"] as? String == untraced["traceparent"] as? String)
        #expect(untraced["tracestate"] as? String == "")
        #expect(untraced["type"] as? String == "com.dapr.event.sent")
    }

    @Test("Go's replacement of bytes that are not UTF-8: each invalid byte on its own")
    func goLossyString() {
        #expect(GoLossyString.string(Data("héllo".utf8)) == "héllo")
        #expect(GoLossyString.string(Data([0xE2, 0x82, 0x41])) == "\u{FFFD}\u{FFFD}A")
        #expect(GoLossyString.string(Data([0xED, 0xA0, 0x80])) == "\u{FFFD}\u{FFFD}\u{FFFD}")  // a surrogate
        #expect(GoLossyString.string(Data([0xF0, 0x9F, 0x98, 0x80, 0xC0, 0xAF])) == "😀\u{FFFD}\u{FFFD}")
    }

    @Test("a delivered event's attributes read from its envelope until the app sets them, nil included")
    func attributesCanBeSet() throws {
        let message = try CloudEventEnvelope(appID: "shop", pubsubName: "pubsub", now: Date())
            .message(topic: "orders", payload: Data("{}".utf8), contentType: "application/json", metadata: ["cloudevent.subject": "s"])
        var event = try TopicEvent(message: message, pubsubName: "pubsub", rawPayload: false)
        #expect(event.source == "shop")
        #expect(event.subject == "s")
        #expect(event.type == "com.dapr.event.sent")
        #expect(event.specVersion == "1.0")
        #expect(event.dataContentType == "application/json")
        event.source = "other"
        event.subject = nil
        event.dataContentType = "text/plain"
        #expect(event.source == "other")
        #expect(event.subject == nil)
        #expect(event.dataContentType == "text/plain")
        #expect(event.type == "com.dapr.event.sent", "attributes the app did not set still read from the envelope")
        #expect(event.attribute("source") == .string("shop"), "the envelope keeps what arrived")
    }
}
