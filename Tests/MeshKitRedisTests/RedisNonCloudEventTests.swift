import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting
import Testing

/// A stream entry that is not a CloudEvent, on a subscription without `rawPayload`, is what
/// Dapr's subscriber cannot deserialize (dapr/dapr `pkg/runtime/subscription/subscription.go`):
/// it goes to the dead-letter topic, or stays pending for the broker to deliver again.
@Suite("pubsub.redis: entries that are not CloudEvents")
struct RedisNonCloudEventTests {
    @Test("an entry that is not a JSON object is dead-lettered, or left pending without a dead-letter topic; the handler never sees it")
    func unreadableEntries() async throws {
        try await withRedis { redis in
            for stream in ["guarded", "plain"] {
                try await redis.cli("XGROUP", "CREATE", stream, "orders", "0", "MKSTREAM")
                try await redis.cli("XADD", stream, "*", "data", "not a cloud event")
            }
            let mesh = try await makeRedisMesh(address: redis.address)
            let recorder = EventRecorder()
            try await mesh.subscribe(
                pubsub: "pubsub",
                topic: "guarded",
                options: SubscriptionOptions(deadLetterTopic: "poison"),
                handler: recorder.handler()
            )
            try await mesh.subscribe(pubsub: "pubsub", topic: "plain", handler: recorder.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            try await eventually("the entry reached the dead-letter topic") {
                try await redis.cli("XRANGE", "poison", "-", "+").contains("not a cloud event")
            }
            try await eventually("the dead-lettered entry is acknowledged") {
                try await redis.cli("XPENDING", "guarded", "orders").split(separator: "\n").first == "0"
            }
            try await eventually("the entry without a dead-letter topic was read") {
                try await redis.cli("XPENDING", "plain", "orders").split(separator: "\n").first == "1"
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await redis.cli("XPENDING", "plain", "orders").split(separator: "\n").first == "1")
            #expect(recorder.events.isEmpty)
        }
    }

    @Test("a JSON object without specversion is delivered as the CloudEvent it is, as Dapr delivers it")
    func jsonObjectIsTheEvent() async throws {
        try await withRedis { redis in
            try await redis.cli("XGROUP", "CREATE", "loose", "orders", "0", "MKSTREAM")
            try await redis.cli("XADD", "loose", "*", "data", #"{"id":"o-1","data":{"qty":2}}"#)
            let mesh = try await makeRedisMesh(address: redis.address)
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: "loose", handler: recorder.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }
            let event = try #require(try await recorder.waitForEvents(count: 1).first)
            #expect(event.id == "o-1")
            #expect(event.data == Data(#"{"qty":2}"#.utf8))
            #expect(!event.isRawPayload)
        }
    }
}
