import Benchmark
import Foundation
import MeshKit
import MeshKitRedis
import Synchronization

/// MeshKit's Redis components against `redis-benchmark -c 50` on the same redis-server, in the same
/// run: each MeshKit figure is followed by its baseline (custom metric `requests/s`).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 2,
        scalingFactor: .kilo,
        maxDuration: .seconds(5),
        maxIterations: 50
    )
    Benchmark.teardown = { await RedisBenchEnvironment.stop() }
    let baseline = Benchmark.Configuration(
        metrics: [.custom("requests/s", polarity: .prefersLarger, useScalingFactor: false)],
        warmupIterations: 0,
        maxIterations: 1
    )
    let value = Data(#"{"id":"order-1","amount":42,"items":["tea","cake"]}"#.utf8)

    Benchmark("state: saveState, 50 tasks") { benchmark in
        let mesh = try await RedisBenchEnvironment.get().mesh("bench-save")
        benchmark.startMeasurement()
        try await concurrently(benchmark.scaledIterations.count) { index in
            try await mesh.saveState(store: "statestore", key: "k\(index % 1000)", data: value)
        }
        benchmark.stopMeasurement()
    }

    Benchmark("baseline: redis-benchmark -c 50 EVALSHA (the saveState script)", configuration: baseline) { benchmark in
        let environment = try await RedisBenchEnvironment.get()
        let sha = try environment.loadScript(RedisStateStore.writeScriptSource)
        let rps = try environment.redisBenchmark([
            "-r", "1000", "EVALSHA", sha, "1", "bench-save||k__rand_int__", "set", "none", "", String(decoding: value, as: UTF8.self), "",
            "0",
        ])
        benchmark.measurement(.custom("requests/s", polarity: .prefersLarger, useScalingFactor: false), rps)
    }

    Benchmark("state: getState, 50 tasks") { benchmark in
        let mesh = try await RedisBenchEnvironment.get().mesh("bench-get")
        try await mesh.saveState(store: "statestore", key: "k", data: value)
        benchmark.startMeasurement()
        try await concurrently(benchmark.scaledIterations.count) { _ in
            blackHole(try await mesh.getState(store: "statestore", key: "k"))
        }
        benchmark.stopMeasurement()
    }

    // The same calls in the shape of the baseline's run: 200,000 in one go over 50 tasks, one
    // figure in requests/s, rather than the median of 1,000-call samples.
    Benchmark("state: getState, 50 tasks, 200,000 calls as redis-benchmark makes them", configuration: baseline) { benchmark in
        let mesh = try await RedisBenchEnvironment.get().mesh("bench-get")
        try await mesh.saveState(store: "statestore", key: "k", data: value)
        try await concurrently(5_000) { _ in blackHole(try await mesh.getState(store: "statestore", key: "k")) }
        let calls = 200_000
        let start = ContinuousClock.now
        try await concurrently(calls) { _ in
            blackHole(try await mesh.getState(store: "statestore", key: "k"))
        }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        benchmark.measurement(.custom("requests/s", polarity: .prefersLarger, useScalingFactor: false), Int(Double(calls) / seconds))
    }

    Benchmark("baseline: redis-benchmark -c 50 HGETALL", configuration: baseline) { benchmark in
        let environment = try await RedisBenchEnvironment.get()
        let mesh = try await environment.mesh("bench-get")
        try await mesh.saveState(store: "statestore", key: "k", data: value)
        let rps = try environment.redisBenchmark(["HGETALL", "bench-get||k"])
        benchmark.measurement(.custom("requests/s", polarity: .prefersLarger, useScalingFactor: false), rps)
    }

    Benchmark("pubsub: publish, 50 tasks") { benchmark in
        let mesh = try await RedisBenchEnvironment.get().mesh("bench-publish", pubsub: ["maxLenApprox": "100000"])
        benchmark.startMeasurement()
        try await concurrently(benchmark.scaledIterations.count) { _ in
            try await mesh.publish(pubsub: "pubsub", topic: "bench-publish", data: value, contentType: "application/json")
        }
        benchmark.stopMeasurement()
    }

    Benchmark("baseline: redis-benchmark -c 50 XADD", configuration: baseline) { benchmark in
        let environment = try await RedisBenchEnvironment.get()
        // The same bytes a MeshKit publish sends: a CloudEvent of about 330 bytes.
        let envelope = String(repeating: "x", count: 330)
        let rps = try environment.redisBenchmark(["XADD", "bench-xadd", "MAXLEN", "~", "100000", "*", "data", envelope])
        benchmark.measurement(.custom("requests/s", polarity: .prefersLarger, useScalingFactor: false), rps)
    }

    Benchmark(
        "pubsub: publish → handler, end to end",
        configuration: .init(
            metrics: [.wallClock, .throughput],
            warmupIterations: 1,
            scalingFactor: .kilo,
            maxDuration: .seconds(8),
            maxIterations: 20
        )
    ) { benchmark in
        let flow = try await RedisBenchEnvironment.get().meshFlow("bench-e2e", payload: value, maxLenApprox: 100_000)
        let total = benchmark.scaledIterations.count
        try await flow.whileSubscribed {
            benchmark.startMeasurement()
            try await concurrently(total) { _ in try await flow.publish() }
            await flow.deliveries.wait(for: total + 1)
            benchmark.stopMeasurement()
        }
    }

    Benchmark("pubsub: RedisPubSub.publish (the component alone), 50 tasks") { benchmark in
        let pubsub = try await RedisBenchEnvironment.get().pubSubComponent(["maxLenApprox": "100000"])
        let message = PubSubMessage(topic: "bench-component", data: Data(repeating: 120, count: 330))
        benchmark.startMeasurement()
        try await concurrently(benchmark.scaledIterations.count) { _ in
            try await pubsub.publish(message)
        }
        benchmark.stopMeasurement()
    }

    Benchmark(
        "pubsub: RedisPubSub publish → handler (the component alone), end to end",
        configuration: .init(
            metrics: [.wallClock, .throughput],
            warmupIterations: 1,
            scalingFactor: .kilo,
            maxDuration: .seconds(8),
            maxIterations: 20
        )
    ) { benchmark in
        let flow = try await RedisBenchEnvironment.get().componentFlow("bench-component-e2e", maxLenApprox: 100_000)
        let total = benchmark.scaledIterations.count
        try await flow.whileSubscribed {
            benchmark.startMeasurement()
            try await concurrently(total) { _ in try await flow.publish() }
            await flow.deliveries.wait(for: total + 1)
            benchmark.stopMeasurement()
        }
    }

    // Publish → handler as a sustained flow rather than 1,000-message bursts: a burst's figure
    // also counts the wait for its last deliveries, and varied 2–3× between the samples of one
    // run. Through the mesh and through the component alone, in alternating rounds of 50,000
    // messages over 50 publishing tasks (which goes first swaps each round), so that the host's
    // changes of speed land on both; each figure is the mean rate of its rounds, and the ratio is
    // that of the two means, in percent.
    let meshRateMetric = BenchmarkMetric.custom("mesh messages/s", polarity: .prefersLarger, useScalingFactor: false)
    let componentRateMetric = BenchmarkMetric.custom("component messages/s", polarity: .prefersLarger, useScalingFactor: false)
    let rateRatioMetric = BenchmarkMetric.custom("mesh ÷ component %", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark(
        "pubsub: publish → handler sustained, mesh vs the component alone",
        configuration: .init(
            metrics: [meshRateMetric, componentRateMetric, rateRatioMetric],
            warmupIterations: 0,
            maxIterations: 1
        )
    ) { benchmark in
        let environment = try await RedisBenchEnvironment.get()
        let mesh = try await environment.meshFlow("bench-sustained", payload: value, maxLenApprox: 1_000_000)
        let component = try await environment.componentFlow("bench-sustained-component", maxLenApprox: 1_000_000)
        let rounds = 6
        let perRound = 50_000
        var meshSeconds = 0.0
        var componentSeconds = 0.0
        /// The seconds `flow` takes to deliver `perRound` more messages, up to `target` in all.
        func run(_ flow: CountedFlow, upTo target: Int) async throws -> Double {
            let start = ContinuousClock.now
            try await concurrently(perRound) { _ in try await flow.publish() }
            await flow.deliveries.wait(for: target)
            return (ContinuousClock.now - start) / .seconds(1)
        }
        try await mesh.whileSubscribed {
            try await component.whileSubscribed {
                for round in 0..<rounds {
                    let target = 1 + (round + 1) * perRound
                    if round.isMultiple(of: 2) {
                        meshSeconds += try await run(mesh, upTo: target)
                        componentSeconds += try await run(component, upTo: target)
                    } else {
                        componentSeconds += try await run(component, upTo: target)
                        meshSeconds += try await run(mesh, upTo: target)
                    }
                }
            }
        }
        let messages = Double(rounds * perRound)
        let meshRate = messages / meshSeconds
        let componentRate = messages / componentSeconds
        benchmark.measurement(meshRateMetric, Int(meshRate))
        benchmark.measurement(componentRateMetric, Int(componentRate))
        benchmark.measurement(rateRatioMetric, Int(100 * meshRate / componentRate))
    }

    Benchmark(
        "pubsub: RSS of 100 idle subscriptions",
        configuration: .init(
            metrics: [
                .custom("RSS MB", polarity: .prefersSmaller, useScalingFactor: false),
                .custom("RSS growth MB", polarity: .prefersSmaller, useScalingFactor: false),
            ],
            warmupIterations: 0,
            maxIterations: 1
        )
    ) { benchmark in
        let before = RedisBenchEnvironment.residentBytes()
        let mesh = try await RedisBenchEnvironment.get().mesh("bench-idle")
        for index in 0..<100 {
            try await mesh.subscribe(pubsub: "pubsub", topic: "idle-\(index)") { _ in .success }
        }
        let runner = Task { try await mesh.run() }
        try await Task.sleep(for: .seconds(2))
        let after = RedisBenchEnvironment.residentBytes()
        benchmark.measurement(.custom("RSS MB", polarity: .prefersSmaller, useScalingFactor: false), after / 1_048_576)
        benchmark.measurement(.custom("RSS growth MB", polarity: .prefersSmaller, useScalingFactor: false), (after - before) / 1_048_576)
        runner.cancel()
    }

    Benchmark(
        "pubsub: publish → handler latency at 1,000 messages/s",
        configuration: .init(
            metrics: [
                .custom("p50 latency µs", polarity: .prefersSmaller, useScalingFactor: false),
                .custom("p99 latency µs", polarity: .prefersSmaller, useScalingFactor: false),
            ],
            warmupIterations: 0,
            maxIterations: 1
        )
    ) { benchmark in
        let mesh = try await RedisBenchEnvironment.get().mesh("bench-latency")
        let latencies = LatencyRecorder()
        let topic = "bench-latency-\(UUID().uuidString.prefix(6))"
        try await mesh.subscribe(pubsub: "pubsub", topic: topic) { event in
            let sentAt = try event.decode(UInt64.self)
            latencies.record(DispatchTime.now().uptimeNanoseconds - sentAt)
            return .success
        }
        let runner = Task { try await mesh.run() }
        let messages = 2_000
        // Paced: one message every millisecond, each carrying its send time.
        let start = ContinuousClock.now
        for index in 0..<messages {
            try await Task.sleep(until: start + .milliseconds(index), clock: .continuous)
            try await mesh.publish(pubsub: "pubsub", topic: topic, value: DispatchTime.now().uptimeNanoseconds)
        }
        await latencies.wait(for: messages)
        let sorted = latencies.sorted()
        benchmark.measurement(.custom("p50 latency µs", polarity: .prefersSmaller, useScalingFactor: false), Int(sorted[sorted.count / 2] / 1_000))
        benchmark.measurement(.custom("p99 latency µs", polarity: .prefersSmaller, useScalingFactor: false), Int(sorted[sorted.count * 99 / 100] / 1_000))
        runner.cancel()
    }
}

/// Collects end-to-end latencies and wakes the benchmark when all have arrived.
final class LatencyRecorder: Sendable {
    private let state = Mutex<(values: [UInt64], waiter: (count: Int, continuation: CheckedContinuation<Void, Never>)?)>(([], nil))

    func record(_ nanoseconds: UInt64) {
        let ready = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.values.append(nanoseconds)
            guard let waiter = state.waiter, state.values.count >= waiter.count else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        ready?.resume()
    }

    func wait(for count: Int) async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.values.count >= count { return true }
                state.waiter = (count, continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    func sorted() -> [UInt64] { state.withLock { $0.values.sorted() } }
}

