import Foundation
import MeshKit
import MeshKitRabbitMQ
import MeshKitTestSupport
import MeshKitTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension RabbitMQTests {
    @Suite("shutdown and cancellation", .serialized)
    struct Shutdown {
        @Test("shutdown closes every connection and ends the threads the component started")
        func shutdownEndsThreads() async throws {
            let rabbit = try broker
            let before = ProcessThreads.ids(namedWithPrefix: rabbitThreadPrefix)
            let mesh = try await makeRabbitMesh(url: rabbit.url)
            let recorder = EventRecorder()
            let topics = (0..<3).map { _ in uniqueTopic("down") }
            for topic in topics { try await mesh.subscribe(pubsub: "pubsub", topic: topic, handler: recorder.handler()) }
            let running = Task { try await mesh.run() }
            for topic in topics { try await mesh.publish(pubsub: "pubsub", topic: topic, value: 1) }
            _ = try await recorder.waitForEvents(count: 3, timeout: .seconds(20))
            let started = ProcessThreads.ids(namedWithPrefix: rabbitThreadPrefix).subtracting(before)
            #expect(started.count >= 4, "\(ProcessThreads.all().filter { started.contains($0.key) })")
            try await within(.seconds(20), "shutdown") { await mesh.shutdown() }
            running.cancel()
            try await eventually(timeout: .seconds(20), "the component's threads have ended") {
                ProcessThreads.ids(namedWithPrefix: rabbitThreadPrefix).isDisjoint(with: started)
            }
            let error = await meshError { try await mesh.publish(pubsub: "pubsub", topic: topics[0], value: 2) }
            #expect(error != nil)
        }

        @Test("a publish to a broker that accepts but never answers returns at once when cancelled")
        func cancelledPublishReturnsAtOnce() async throws {
            let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(silent) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let listening = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(silent, $0, length) == 0 && listen(silent, 8) == 0 && getsockname(silent, $0, &length) == 0
                }
            }
            try #require(listening)
            let port = Int(UInt16(bigEndian: address.sin_port))
            let pubsub = try RabbitMQPubSub(metadata: ["connectionString": "amqp://127.0.0.1:\(port)"])
            let publish = Task { try await pubsub.publish(PubSubMessage(topic: "t", data: Data())) }
            try await Task.sleep(for: .milliseconds(200))
            let start = ContinuousClock.now
            publish.cancel()
            _ = await publish.result
            #expect(ContinuousClock.now - start < .seconds(3), "at once, not after the 5s handshake timeout")
            // The thread is still in the handshake; shutdown waits for it until its 5s timeout.
            try await within(.seconds(20), "shutdown") { await pubsub.shutdown() }
        }
    }
}
