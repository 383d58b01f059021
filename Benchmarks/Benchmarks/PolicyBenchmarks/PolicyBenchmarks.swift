import Benchmark
import MeshKit

/// The cost of the stateful policy primitives on the call path, alone and with two tasks
/// contending for the same instance (one per core on a 2-core machine). In the two-task
/// benchmarks each task runs the scaled iteration count, so one iteration is twice the work.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )

    Benchmark("breaker: acquire+record(success), 1 task") { benchmark in
        let breaker = CircuitBreaker(policy: try CircuitBreakerPolicy())
        benchmark.startMeasurement()
        try breakerLoop(breaker, iterations: benchmark.scaledIterations.count)
        benchmark.stopMeasurement()
    }

    Benchmark("breaker: acquire+record(success), 2 tasks") { benchmark in
        let breaker = CircuitBreaker(policy: try CircuitBreakerPolicy())
        let iterations = benchmark.scaledIterations.count
        benchmark.startMeasurement()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask { try breakerLoop(breaker, iterations: iterations) }
            }
            try await group.waitForAll()
        }
        benchmark.stopMeasurement()
    }

    Benchmark("budget: recordRequest+tryWithdraw, 1 task") { benchmark in
        let budget = RetryBudget()
        benchmark.startMeasurement()
        budgetLoop(budget, iterations: benchmark.scaledIterations.count)
        benchmark.stopMeasurement()
    }

    Benchmark("budget: recordRequest+tryWithdraw, 2 tasks") { benchmark in
        let budget = RetryBudget()
        let iterations = benchmark.scaledIterations.count
        benchmark.startMeasurement()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask { budgetLoop(budget, iterations: iterations) }
            }
        }
        benchmark.stopMeasurement()
    }

    Benchmark("limiter: tryAcquire+release, 2 tasks (atomic reference)") { benchmark in
        let limiter = ConcurrencyLimiter(maxConcurrent: 1_000)
        let iterations = benchmark.scaledIterations.count
        benchmark.startMeasurement()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<iterations where limiter.tryAcquire() {
                        limiter.release()
                    }
                }
            }
        }
        benchmark.stopMeasurement()
    }
}

@inline(never)
func breakerLoop(_ breaker: CircuitBreaker, iterations: Int) throws {
    for _ in 0..<iterations {
        let permit = try breaker.acquire()
        breaker.record(permit, .success)
    }
}

@inline(never)
func budgetLoop(_ budget: RetryBudget, iterations: Int) {
    for _ in 0..<iterations {
        budget.recordRequest()
        blackHole(budget.tryWithdraw())
    }
}
