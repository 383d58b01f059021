import Foundation
import MeshKit
import MeshKitTesting
import Synchronization
import Testing

@Suite("Pub/sub on the in-memory broker")
struct PubSubTests {
    @Test("a JSON event arrives in a Dapr CloudEvent with every attribute Dapr sets")
    func envelope() async throws {
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "order-created", handler: recorder.handler())
        let event = try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "order-created", value: Order(id: "7", amount: 30))
            return try await recorder.waitForEvents(count: 1)[0]
        }
        #expect(try event.decode(Order.self) == Order(id: "7", amount: 30))
        let envelope = try #require(try JSONSerialization.jsonObject(with: event.envelope) as? [String: Any])
        #expect(envelope["specversion"] as? String == "1.0")
        #expect(envelope["source"] as? String == "order-service")
        #expect(envelope["type"] as? String == "com.dapr.event.sent")
        #expect(envelope["datacontenttype"] as? String == "application/json")
        #expect(envelope["topic"] as? String == "order-created")
        #expect(envelope["pubsubname"] as? String == "pubsub")
        #expect((envelope["id"] as? String)?.isEmpty == false)
        #expect((envelope["time"] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil)
        let traceparent = try #require(envelope["traceparent"] as? String)
        #expect(traceparent.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]/) != nil)
        #expect(envelope["tracestate"] as? String == "")
        #expect((envelope["data"] as? [String: Any])?["amount"] as? Int == 30)
        #expect(envelope["data_base64"] == nil)
    }

    @Test("binary goes in data_base64, text in data as a string, JSON numbers keep every digit")
    func dataPlacement() async throws {
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "t", handler: recorder.handler())
        let events = try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "t", data: Data([0, 1, 254, 255]))
            try await mesh.publish(pubsub: "pubsub", topic: "t", data: Data("héllo".utf8), contentType: "text/plain")
            try await mesh.publish(
                pubsub: "pubsub",
                topic: "t",
                data: Data(#"{"id":12345678901234567890}"#.utf8),
                contentType: "application/json"
            )
            return try await recorder.waitForEvents(count: 3).sorted { $0.dataContentType ?? "" < $1.dataContentType ?? "" }
        }
        let json = events[0], binary = events[1], text = events[2]
        #expect(binary.dataContentType == "application/octet-stream")
        #expect(binary.data == Data([0, 1, 254, 255]))
        #expect(String(decoding: binary.envelope, as: UTF8.self).contains(#""data_base64":"AAH+/w==""#))
        #expect(text.data == Data("héllo".utf8))
        #expect(String(decoding: text.envelope, as: UTF8.self).contains(#""data":"héllo""#))
        #expect(json.data == Data(#"{"id":12345678901234567890}"#.utf8))
        #expect(String(decoding: json.envelope, as: UTF8.self).contains(#""data":{"id":12345678901234567890}"#))
    }

    @Test("a CloudEvent the user supplies keeps its attributes and extensions")
    func userCloudEvent() async throws {
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "t", handler: recorder.handler())
        let custom =
            #"{"specversion":"1.0","id":"my-id","source":"legacy-system","type":"com.example.order","tenant":"acme","subject":"a \"quoted\" caf\u00e9","datacontenttype":"application/json","data":{"n":1}}"#
        let event = try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "t", data: Data(custom.utf8), contentType: "application/cloudevents+json")
            return try await recorder.waitForEvents(count: 1)[0]
        }
        #expect(event.id == "my-id")
        #expect(event.source == "legacy-system")
        #expect(event.type == "com.example.order")
        #expect(event.attribute("tenant") == .string("acme"))
        #expect(event.subject == "a \"quoted\" café", "escaped attribute values are decoded")
        #expect(event.topic == "t")
        #expect(event.attribute("pubsubname") == .string("pubsub"))
        #expect(event.traceParent != nil)
        #expect(event.data == Data(#"{"n":1}"#.utf8))
        await #expect {
            try await mesh.publish(pubsub: "pubsub", topic: "t", data: Data("[1]".utf8), contentType: "application/cloudevents+json")
        } throws: {
            isMeshError($0, .cloudEventMalformed)
        }
    }

    @Test("rawPayload skips the envelope and the subscriber gets the bytes as they were sent")
    func rawPayload() async throws {
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "raw",
            options: SubscriptionOptions(metadata: ["rawPayload": "true"]),
            handler: recorder.handler()
        )
        let event = try await whileRunning(mesh) {
            try await mesh.publish(
                pubsub: "pubsub",
                topic: "raw",
                data: Data("legacy,csv".utf8),
                contentType: "text/csv",
                metadata: ["rawPayload": "true"]
            )
            return try await recorder.waitForEvents(count: 1)[0]
        }
        #expect(event.isRawPayload)
        #expect(event.envelope == Data("legacy,csv".utf8))
        #expect(event.data == Data("legacy,csv".utf8))
    }

    @Test("an event whose ttlInSeconds has passed is not delivered")
    func messageTTL() async throws {
        let clock = ManualClock()
        let mesh = try await makeMesh(clock: clock.wallClock)
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "t", handler: recorder.handler())
        try await mesh.publish(pubsub: "pubsub", topic: "t", value: "stale", metadata: ["ttlInSeconds": "5"])
        try await mesh.publish(pubsub: "pubsub", topic: "t", value: "fresh", metadata: ["ttlInSeconds": "60"])
        clock.advance(by: 6)
        let events = try await whileRunning(mesh) { try await recorder.waitForEvents(count: 1) }
        #expect(events.count == 1)
        #expect(try events[0].decode(String.self) == "fresh")
        #expect(events[0].expiration != nil)
        await #expect { try await mesh.publish(pubsub: "pubsub", topic: "t", value: 1, metadata: ["ttlInSeconds": "x"]) } throws: {
            isMeshError($0, .malformedRequest)
        }
    }

    @Test("routing rules pick the handler by event attributes, with a default route")
    func routing() async throws {
        let mesh = try await makeMesh()
        let widgets = EventRecorder(), urgent = EventRecorder(), others = EventRecorder()
        mesh.handleTopicEvents(route: "/widgets", widgets.handler())
        mesh.handleTopicEvents(route: "urgent", urgent.handler())
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "inventory",
            options: SubscriptionOptions(rules: [
                try RoutingRule(match: #"event.type == "widget""#, route: "/widgets"),
                try RoutingRule(match: "event.data.priority > 5 && !(event.data.test == true)", route: "/urgent"),
            ]),
            handler: others.handler()
        )
        try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "inventory", value: ["priority": 1], metadata: ["cloudevent.type": "widget"])
            try await mesh.publish(pubsub: "pubsub", topic: "inventory", value: ["priority": 9])
            try await mesh.publish(pubsub: "pubsub", topic: "inventory", value: ["priority": 2])
            _ = try await widgets.waitForEvents(count: 1)
            _ = try await urgent.waitForEvents(count: 1)
            _ = try await others.waitForEvents(count: 1)
        }
        #expect(widgets.events.map(\.route) == ["/widgets"])
        #expect(urgent.events.map(\.route) == ["/urgent"])
        #expect(try others.events.map { try $0.decode([String: Int].self) } == [["priority": 2]])
    }

    @Test("retry redelivers until success; the handler sees the message again (at least once)")
    func retryThenSuccess() async throws {
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "t", handler: recorder.handler { _, number in number < 3 ? .retry : .success })
        try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "t", value: "once")
            _ = try await recorder.waitForEvents(count: 3)
        }
        #expect(recorder.events.count == 3)
        #expect(Set(recorder.events.map(\.id)).count == 1)
    }

    @Test("after the retry policy gives up, the message goes to the dead-letter topic, once")
    func deadLetterAfterRetries() async throws {
        let mesh = try await makeMesh()
        let failing = EventRecorder(), deadLetters = EventRecorder()
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "orders",
            options: SubscriptionOptions(deadLetterTopic: "poison"),
            handler: failing.handler { _, _ in throw HandlerFailure() }
        )
        try await mesh.subscribe(pubsub: "pubsub", topic: "poison", handler: deadLetters.handler())
        let dead = try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "orders", value: Order(id: "bad", amount: -1))
            return try await deadLetters.waitForEvents(count: 1)[0]
        }
        // The test configuration's policy: 1 attempt + 3 retries.
        #expect(failing.events.count == 4)
        #expect(try dead.decode(Order.self) == Order(id: "bad", amount: -1))
        #expect(dead.id == failing.events[0].id)
        #expect(dead.topic == "poison")
        #expect(dead.attribute("topic") == .string("orders"), "the dead letter keeps the original CloudEvent")
    }

    @Test("drop sends the message to the dead-letter topic without retrying")
    func dropGoesToDeadLetter() async throws {
        let mesh = try await makeMesh()
        let dropping = EventRecorder(), deadLetters = EventRecorder()
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "orders",
            options: SubscriptionOptions(deadLetterTopic: "poison"),
            handler: dropping.handler { _, _ in .drop }
        )
        try await mesh.subscribe(pubsub: "pubsub", topic: "poison", handler: deadLetters.handler())
        try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "orders", value: 1)
            _ = try await deadLetters.waitForEvents(count: 1)
        }
        #expect(dropping.events.count == 1)
    }

    @Test("an inbound retry policy from a Resiliency resource applies to deliveries")
    func resiliencyInboundRetry() async throws {
        let resiliency = ResiliencyResource(
            name: "r",
            retries: ["twice": .constant(.milliseconds(5), maxRetries: 1)],
            components: ["pubsub": ComponentPolicyNames(inbound: PolicyNames(retry: "twice"))]
        )
        let mesh = try await makeMesh(components: [.inMemoryPubSub], resiliencies: [resiliency])
        let failing = EventRecorder(), deadLetters = EventRecorder()
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "t",
            options: SubscriptionOptions(deadLetterTopic: "dlq"),
            handler: failing.handler { _, _ in .retry }
        )
        try await mesh.subscribe(pubsub: "pubsub", topic: "dlq", handler: deadLetters.handler())
        try await whileRunning(mesh) {
            try await mesh.publish(pubsub: "pubsub", topic: "t", value: 1)
            _ = try await deadLetters.waitForEvents(count: 1)
        }
        #expect(failing.events.count == 2)
    }

    @Test("no more than maxConcurrentDeliveries handlers run at once, and the limit is reached")
    func concurrencyLimit() async throws {
        let mesh = try await makeMesh()
        let gauge = ConcurrencyGauge()
        let recorder = EventRecorder()
        try await mesh.subscribe(
            pubsub: "pubsub",
            topic: "t",
            options: SubscriptionOptions(maxConcurrentDeliveries: 3),
            handler: recorder.handler { _, _ in
                await gauge.measure { try? await Task.sleep(for: .milliseconds(20)) }
                return .success
            }
        )
        try await whileRunning(mesh) {
            for index in 0..<12 { try await mesh.publish(pubsub: "pubsub", topic: "t", value: index) }
            _ = try await recorder.waitForEvents(count: 12)
        }
        #expect(gauge.peak == 3)
    }

    @Test("messages published before run() starts wait for it")
    func publishBeforeRun() async throws {
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "early", handler: recorder.handler())
        for index in 0..<5 { try await mesh.publish(pubsub: "pubsub", topic: "early", value: index) }
        let events = try await whileRunning(mesh) { try await recorder.waitForEvents(count: 5) }
        #expect(Set(try events.map { try $0.decode(Int.self) }) == Set(0..<5))
    }

    @Test("two apps in one process share the broker; each consumer group gets each message once")
    func fanOutAcrossApps() async throws {
        let network = InProcessNetwork()
        let publisher = try await makeMesh(appID: "orders", network: network)
        let shipping = try await makeMesh(appID: "shipping", network: network)
        let billing = try await makeMesh(appID: "billing", network: network)
        let shipped = EventRecorder(), billed = EventRecorder()
        try await shipping.subscribe(pubsub: "pubsub", topic: "order-created", handler: shipped.handler())
        try await billing.subscribe(pubsub: "pubsub", topic: "order-created", handler: billed.handler())
        try await whileRunning(shipping) {
            try await whileRunning(billing) {
                try await publisher.publish(pubsub: "pubsub", topic: "order-created", value: 1)
                try await publisher.publish(pubsub: "pubsub", topic: "order-created", value: 2)
                _ = try await shipped.waitForEvents(count: 2)
                _ = try await billed.waitForEvents(count: 2)
            }
        }
        #expect(shipped.events.count == 2)
        #expect(billed.events.count == 2)
    }

    @Test("bulk publish delivers every entry and reports the ones that failed")
    func bulkPublish() async throws {
        let mesh = try await makeMesh()
        let recorder = EventRecorder()
        try await mesh.subscribe(pubsub: "pubsub", topic: "bulk", handler: recorder.handler())
        let response = try await whileRunning(mesh) {
            let response = try await mesh.bulkPublish(
                pubsub: "pubsub",
                topic: "bulk",
                entries: [
                    try BulkPublishEntry(entryID: "1", value: "a"),
                    try BulkPublishEntry(entryID: "2", value: "b", metadata: ["ttlInSeconds": "never"]),
                    BulkPublishEntry(entryID: "3", data: Data("c".utf8), contentType: "text/plain"),
                ]
            )
            _ = try await recorder.waitForEvents(count: 2)
            return response
        }
        #expect(response.failedEntries.map(\.entryID) == ["2"])
        #expect(Set(recorder.events.map { String(decoding: $0.data, as: UTF8.self) }) == [#""a""#, "c"])
    }
}

struct HandlerFailure: Error {}

/// Tracks how many operations run at once.
final class ConcurrencyGauge: Sendable {
    private let counts = Mutex((current: 0, peak: 0))

    var peak: Int { counts.withLock { $0.peak } }

    func measure(_ body: () async -> Void) async {
        counts.withLock { counts in
            counts.current += 1
            counts.peak = max(counts.peak, counts.current)
        }
        await body()
        counts.withLock { $0.current -= 1 }
    }
}
