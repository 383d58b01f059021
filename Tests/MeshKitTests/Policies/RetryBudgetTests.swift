import MeshKit
import Testing

@Suite("Policies: RetryBudget")
struct RetryBudgetTests {
    let time = TestMonotonicClock()

    func withdrawals(_ budget: RetryBudget, upTo limit: Int = 10_000) -> Int {
        var granted = 0
        while granted < limit, budget.tryWithdraw() { granted += 1 }
        return granted
    }

    @Test func defaultsMatchLinkerd() {
        let configuration = RetryBudget.Configuration.default
        #expect(configuration.ratio == 0.2)
        #expect(configuration.minRetriesPerSecond == 10)
        #expect(configuration.window == .seconds(10))
    }

    @Test func allowsTheMinimumWithNoTraffic() {
        let budget = RetryBudget(.default, clock: time.clock)
        #expect(budget.balance == 100)
        #expect(withdrawals(budget) == 100)
        #expect(!budget.tryWithdraw())
        #expect(budget.balance == 0)
    }

    @Test func allowsTheRatioOfRequests() {
        let budget = RetryBudget(.init(ratio: 0.2, minRetriesPerSecond: 0), clock: time.clock)
        #expect(!budget.tryWithdraw())
        for _ in 0..<100 { budget.recordRequest() }
        #expect(budget.balance == 20)
        #expect(withdrawals(budget) == 20)
        #expect(!budget.tryWithdraw())
        for _ in 0..<5 { budget.recordRequest() }
        #expect(withdrawals(budget) == 1)
    }

    @Test func addsTheRatioToTheMinimum() {
        let budget = RetryBudget(.init(ratio: 0.5, minRetriesPerSecond: 1, window: .seconds(4)), clock: time.clock)
        for _ in 0..<10 { budget.recordRequest() }
        #expect(budget.balance == 9)
        #expect(withdrawals(budget) == 9)
    }

    @Test func recoversAsTheWindowSlides() {
        let budget = RetryBudget(.default, clock: time.clock)
        #expect(withdrawals(budget) == 100)
        time.advance(by: .seconds(9))
        #expect(!budget.tryWithdraw())
        time.advance(by: .seconds(1))
        #expect(budget.balance == 100)
        #expect(withdrawals(budget) == 100)
    }

    @Test func requestsAndRetriesExpireBucketByBucket() {
        let budget = RetryBudget(.init(ratio: 0.2, minRetriesPerSecond: 0), clock: time.clock)
        for _ in 0..<50 { budget.recordRequest() }
        #expect(withdrawals(budget) == 10)
        time.advance(by: .seconds(5))
        for _ in 0..<50 { budget.recordRequest() }
        #expect(withdrawals(budget) == 10)
        time.advance(by: .seconds(5))
        // The first 50 requests and 10 retries have left the window.
        #expect(budget.balance == 0)
        #expect(!budget.tryWithdraw())
        time.advance(by: .seconds(5))
        #expect(budget.balance == 0)
        for _ in 0..<5 { budget.recordRequest() }
        #expect(withdrawals(budget) == 1)
        // A long idle period empties the whole window.
        time.advance(by: .seconds(3_600))
        for _ in 0..<10 { budget.recordRequest() }
        #expect(withdrawals(budget) == 2)
    }

    @Test func concurrentCallersNeverOverdraw() async {
        let budget = RetryBudget(.init(ratio: 0.2, minRetriesPerSecond: 0), clock: time.clock)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { for _ in 0..<10 { budget.recordRequest() } }
            }
        }
        let granted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<100 {
                group.addTask { (0..<3).count { _ in budget.tryWithdraw() } }
            }
            return await group.reduce(0, +)
        }
        #expect(granted == 200)
    }
}
