import Foundation
import FuzzSupport

@testable import MeshKit

/// CloudEvent JSON as a broker delivers it, and as an app publishes its own CloudEvent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCloudEvent(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    guard let bytes else { return 0 }
    let data = Data(bytes: bytes, count: count)
    let message = PubSubMessage(topic: "orders", data: data, contentType: ContentType.cloudEvents, metadata: [:])
    if let event = try? TopicEvent(message: message, pubsubName: "pubsub", rawPayload: false) {
        _ = event.attributeValue(at: ["data", "priority"])
        _ = event.attributeValue(at: ["type"])
        _ = try? RoutingRule(match: "event.data.priority > 3", route: "/fuzz").matches(event)
    }
    let envelope = CloudEventEnvelope(appID: "fuzz", pubsubName: "pubsub", now: Date(timeIntervalSince1970: 0))
    _ = try? envelope.message(topic: "orders", payload: data, contentType: ContentType.cloudEvents, metadata: [:])
    _ = try? envelope.message(topic: "orders", payload: data, contentType: ContentType.json, metadata: ["ttlInSeconds": "60"])
    _ = try? envelope.message(topic: "orders", payload: data, contentType: "image/png", metadata: ["cloudevent.traceid": "t"])
    _ = try? JSONValue.parse(data)
    return 0
}

@_cdecl("FuzzCloudEvent_main")
public func fuzzCloudEventMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzCloudEvent)
}
