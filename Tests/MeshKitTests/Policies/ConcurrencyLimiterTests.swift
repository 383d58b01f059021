import MeshKit
import Testing

@Suite("Policies: ConcurrencyLimiter")
struct ConcurrencyLimiterTests {
    @Test func admitsUpToTheMaximum() {
        let limiter = ConcurrencyLimiter(maxConcurrent: 2)
        #expect(limiter.tryAcquire())
        #expect(limiter.tryAcquire())
        #expect(!limiter.tryAcquire())
        #expect(limiter.inFlight == 2)
    }

    @Test func releaseRestoresASlot() {
        let limiter = ConcurrencyLimiter(maxConcurrent: 1)
        #expect(limiter.tryAcquire())
        #expect(!limiter.tryAcquire())
        limiter.release()
        #expect(limiter.inFlight == 0)
        #expect(limiter.tryAcquire())
        #expect(limiter.inFlight == 1)
    }

    @Test func zeroAdmitsNothing() {
        let limiter = ConcurrencyLimiter(maxConcurrent: 0)
        #expect(!limiter.tryAcquire())
        #expect(limiter.inFlight == 0)
    }

    @Test func neverExceedsTheMaximumUnderConcurrency() async {
        let limiter = ConcurrencyLimiter(maxConcurrent: 4)
        // Each task reports how many slots it got and the most calls it saw in flight.
        let (admitted, highest) = await withTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<100 {
                group.addTask {
                    var admitted = 0
                    var highest = 0
                    for _ in 0..<100 {
                        guard limiter.tryAcquire() else {
                            await Task.yield()
                            continue
                        }
                        admitted += 1
                        highest = max(highest, limiter.inFlight)
                        await Task.yield()
                        limiter.release()
                    }
                    return (admitted, highest)
                }
            }
            return await group.reduce((0, 0)) { ($0.0 + $1.0, max($0.1, $1.1)) }
        }
        #expect(highest <= 4)
        #expect(highest >= 1)
        #expect(admitted > 0)
        #expect(limiter.inFlight == 0)
    }
}
