import MeshKit
import Testing

@Suite("Policies: FaultInjection")
struct FaultInjectionTests {
    @Test func nothingConfiguredInjectsNothingAndDrawsNothing() {
        var generator = SplitMix64(seed: 1)
        var reference = SplitMix64(seed: 1)
        #expect(FaultInjection().decide(using: &generator) == FaultInjection.Decision())
        #expect(generator.next() == reference.next())
    }

    @Test func zeroPercentNeverApplies() {
        let fault = FaultInjection(
            delay: .init(percentage: 0, fixedDelay: .seconds(1)),
            abort: .init(percentage: 0, httpStatus: 503)
        )
        var generator = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            #expect(fault.decide(using: &generator) == FaultInjection.Decision())
        }
    }

    @Test func hundredPercentAlwaysApplies() {
        let fault = FaultInjection(
            delay: .init(percentage: 100, fixedDelay: .milliseconds(250)),
            abort: .init(percentage: 100, httpStatus: 503)
        )
        var generator = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            #expect(fault.decide(using: &generator) == FaultInjection.Decision(delay: .milliseconds(250), abortStatus: 503))
        }
    }

    @Test func percentageDefaultsToEveryCall() {
        let fault = FaultInjection(delay: .init(fixedDelay: .seconds(2)), abort: .init(httpStatus: 429))
        var generator = SplitMix64(seed: 3)
        #expect(fault.decide(using: &generator) == FaultInjection.Decision(delay: .seconds(2), abortStatus: 429))
    }

    @Test(arguments: [UInt64(1), 42, 0xDEAD_BEEF])
    func seededRollsApproximateThePercentages(seed: UInt64) {
        let fault = FaultInjection(
            delay: .init(percentage: 30, fixedDelay: .seconds(1)),
            abort: .init(percentage: 70, httpStatus: 500)
        )
        var generator = SplitMix64(seed: seed)
        var delayed = 0
        var aborted = 0
        var both = 0
        for _ in 0..<10_000 {
            let decision = fault.decide(using: &generator)
            if decision.delay != nil { delayed += 1 }
            if decision.abortStatus != nil { aborted += 1 }
            if decision.delay != nil && decision.abortStatus != nil { both += 1 }
        }
        #expect((2_800...3_200).contains(delayed))
        #expect((6_800...7_200).contains(aborted))
        // Rolled independently: both apply to about 30% × 70% = 21% of calls.
        #expect((1_900...2_300).contains(both))
    }

    @Test func seededRollsAreRepeatable() {
        let fault = FaultInjection(abort: .init(percentage: 50, httpStatus: 503))
        var first = SplitMix64(seed: 99)
        var second = SplitMix64(seed: 99)
        let a = (0..<100).map { _ in fault.decide(using: &first) }
        let b = (0..<100).map { _ in fault.decide(using: &second) }
        #expect(a == b)
    }
}
