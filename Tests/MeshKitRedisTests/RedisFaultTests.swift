import Foundation
import MeshKit
import MeshKitRedis
import MeshKitTesting
import Synchronization
import Testing

@Suite("state.redis and pubsub.redis when redis-server crashes")
struct RedisFaultTests {
    /// What the writer saw.
    struct Tally {
        var savedKeys: [Int] = []
        var publishedValues: [Int] = []
        var failures: [(error: any Error, elapsed: Duration)] = []
    }

    @Test("every acknowledged write and publish survives a SIGKILL; outage calls fail in time; subscriptions resume")
    func killAndRestart() async throws {
        try await withRedis(.init(isDurable: true)) { redis in
            let timeouts = ["dialTimeout": "1s", "readTimeout": "1s", "writeTimeout": "1s"]
            let mesh = try await makeRedisMesh(
                address: redis.address,
                state: timeouts,
                pubsub: timeouts.merging(["processingTimeout": "1s", "redeliverInterval": "100ms"]) { $1 }
            )
            let recorder = EventRecorder()
            try await mesh.subscribe(pubsub: "pubsub", topic: "events", handler: recorder.handler())
            let running = Task { try await mesh.run() }
            defer { running.cancel() }

            let tally = Mutex(Tally())
            let phase = Atomic<Int>(0)  // 0: before the kill, 1: outage, 2: after the restart, 3: stop
            let writer = Task {
                var index = 0
                while phase.load(ordering: .relaxed) < 3 {
                    index += 1
                    let start = ContinuousClock.now
                    do {
                        try await mesh.saveState(store: "statestore", key: "k\(index)", value: index)
                        tally.withLock { $0.savedKeys.append(index) }
                    } catch {
                        tally.withLock { $0.failures.append((error, ContinuousClock.now - start)) }
                    }
                    let publishStart = ContinuousClock.now
                    do {
                        try await mesh.publish(pubsub: "pubsub", topic: "events", value: index)
                        tally.withLock { $0.publishedValues.append(index) }
                    } catch {
                        tally.withLock { $0.failures.append((error, ContinuousClock.now - publishStart)) }
                    }
                    if phase.load(ordering: .relaxed) == 1 { try? await Task.sleep(for: .milliseconds(10)) }
                }
            }
            try await eventually("some writes succeed") { tally.withLock { $0.savedKeys.count } >= 200 }
            await redis.kill()
            phase.store(1, ordering: .relaxed)
            try await eventually("calls fail during the outage") { tally.withLock { $0.failures.count } >= 10 }
            try await redis.restart()
            phase.store(2, ordering: .relaxed)
            let resumedAt = tally.withLock { $0.savedKeys.count }
            try await eventually("writes succeed again") { tally.withLock { $0.savedKeys.count } >= resumedAt + 200 }
            phase.store(3, ordering: .relaxed)
            await writer.value

            let result = tally.withLock { $0 }
            // Calls during the outage failed fast, saying Redis is unreachable.
            for failure in result.failures {
                let error = try #require(failure.error as? MeshError)
                #expect(error.code == .unavailable || error.code == .timeout)
                #expect(error.message.contains("unreachable") || error.message.contains("did not answer"))
                #expect(failure.elapsed < .seconds(3))
            }
            // Every acknowledged write is there.
            let keys = result.savedKeys.map { "k\($0)" }
            let items = try await mesh.getBulkState(store: "statestore", keys: keys)
            let missing = items.filter { $0.item == nil }.map(\.key)
            #expect(missing.isEmpty, "acknowledged writes lost: \(missing.prefix(10))")
            // Every acknowledged publish is delivered, through the resumed subscription.
            let expected = Set(result.publishedValues)
            try await eventually(timeout: .seconds(20), "every acknowledged publish is delivered") {
                let delivered = Set(recorder.events.compactMap { try? $0.decode(Int.self) })
                return expected.isSubset(of: delivered)
            }
            print(
                "fault test: \(result.savedKeys.count) writes and \(result.publishedValues.count) publishes acknowledged,",
                "\(result.failures.count) calls failed during the outage, \(recorder.events.count) deliveries"
            )
        }
    }
}
