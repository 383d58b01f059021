import MeshKit
import Testing

@Suite("Policies: TokenBucket")
struct TokenBucketTests {
    let time = TestMonotonicClock()

    func acquisitions(_ bucket: TokenBucket) -> Int {
        var granted = 0
        while granted < 1_000, bucket.tryAcquire() { granted += 1 }
        return granted
    }

    @Test func startsFullWithTheBurst() {
        let bucket = TokenBucket(ratePerSecond: 4, burst: 5, clock: time.clock)
        #expect(acquisitions(bucket) == 5)
        #expect(!bucket.tryAcquire())
    }

    @Test func refillsContinuously() {
        let bucket = TokenBucket(ratePerSecond: 4, burst: 5, clock: time.clock)
        _ = acquisitions(bucket)
        time.advance(by: .milliseconds(125))
        #expect(!bucket.tryAcquire())
        time.advance(by: .milliseconds(125))
        #expect(bucket.tryAcquire())
        #expect(!bucket.tryAcquire())
        time.advance(by: .seconds(1))
        #expect(acquisitions(bucket) == 4)
    }

    @Test func refillIsCappedAtTheBurst() {
        let bucket = TokenBucket(ratePerSecond: 100, burst: 3, clock: time.clock)
        _ = acquisitions(bucket)
        time.advance(by: .seconds(3_600))
        #expect(acquisitions(bucket) == 3)
    }

    @Test func zeroBurstAdmitsNothing() {
        let bucket = TokenBucket(ratePerSecond: 100, burst: 0, clock: time.clock)
        time.advance(by: .seconds(10))
        #expect(!bucket.tryAcquire())
    }

    @Test func concurrentCallersTakeExactlyTheBurst() async {
        let bucket = TokenBucket(ratePerSecond: 1, burst: 50, clock: time.clock)
        let granted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<100 {
                group.addTask { bucket.tryAcquire() ? 1 : 0 }
            }
            return await group.reduce(0, +)
        }
        #expect(granted == 50)
    }
}
