import Logging
import CoreMetrics
import Synchronization
import Testing

@testable import MeshKit

/// What the filters of one test saw, in order.
private final class Journal: Sendable {
    private let lines = Mutex<[String]>([])

    func write(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var all: [String] { lines.withLock { $0 } }
}

/// A filter the stack runs inline: writes `name>` as it lets a call in and `<name` (or
/// `<name!` after an error) as the call comes back; refuses calls when `refuses` is set.
private final class InlineFilter: SynchronousCallFilter {
    struct Refused: Error {}

    let name: String
    let journal: Journal
    let refuses: Bool

    init(_ name: String, _ journal: Journal, refuses: Bool = false) {
        self.name = name
        self.journal = journal
        self.refuses = refuses
    }

    func enter<Result: Sendable>(_ call: MeshCall<Result>) throws -> FilterTicket {
        guard !refuses else {
            journal.write("\(name) refused")
            throw Refused()
        }
        journal.write("\(name)>")
        return FilterTicket(number: Int64(call.attempt))
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: Result) {
        journal.write("<\(name) \(result) (entered on attempt \(ticket.number))")
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {
        journal.write("<\(name)!")
    }
}

/// A filter the stack runs inline that changes the call (it makes it non-idempotent) and adds 100
/// to an `Int` result.
private final class ChangingFilter: ChangingCallFilter {
    let journal: Journal

    init(_ journal: Journal) {
        self.journal = journal
    }

    func enter<Result: Sendable>(_ call: inout MeshCall<Result>) throws -> FilterTicket? {
        journal.write("change>")
        call.isIdempotent = false
        return FilterTicket.none
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: inout Result) {
        journal.write("<change idempotent: \(call.isIdempotent)")
        if let number = result as? Int, let changed = number + 100 as? Result { result = changed }
    }
}

/// A changing filter that counts attempts: it sets the call's attempt to `attempt`, multiplies an
/// `Int` result by 10, and fails when `fails`. When `waits`, it cannot enter inline and runs
/// through its `handle`, as the balancer does while its resolver must be asked.
private final class StampingFilter: ChangingCallFilter {
    struct Failed: Error {}

    let name: String
    let attempt: Int
    let journal: Journal
    let waits: Bool
    let fails: Bool

    init(_ name: String, attempt: Int, _ journal: Journal, waits: Bool = false, fails: Bool = false) {
        self.name = name
        self.attempt = attempt
        self.journal = journal
        self.waits = waits
        self.fails = fails
    }

    func enter<Result: Sendable>(_ call: inout MeshCall<Result>) throws -> FilterTicket? {
        guard !waits else { return nil }
        guard !fails else {
            journal.write("\(name) failed")
            throw Failed()
        }
        journal.write("\(name)> sees attempt \(call.attempt)")
        call.attempt = attempt
        return FilterTicket.none
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, returning result: inout Result) {
        journal.write("<\(name) sees attempt \(call.attempt)")
        if let number = result as? Int, let changed = number * 10 as? Result { result = changed }
    }

    func exit<Result: Sendable>(_ ticket: FilterTicket, _ call: MeshCall<Result>, throwing error: any Error) {
        journal.write("<\(name)!")
    }

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        journal.write("\(name) handle> sees attempt \(call.attempt)")
        await Task.yield()
        var call = call
        call.attempt = attempt
        let result = try await next(call)
        journal.write("<\(name) handle")
        guard let number = result as? Int else { return result }
        return number * 10 as? Result ?? result
    }
}

/// A filter the stack runs through `handle`.
private struct AwaitingFilter: CallFilter {
    let name: String
    let journal: Journal

    func handle<Result: Sendable>(
        _ call: MeshCall<Result>,
        next: @Sendable (MeshCall<Result>) async throws -> Result
    ) async throws -> Result {
        journal.write("\(name)>")
        defer { journal.write("<\(name)") }
        return try await next(call)
    }
}

@Suite("the call stack runs MeshKit's synchronous filters and the retry's first attempt inline, with the order of nested filters")
struct InlineFilterTests {
    private let call = MeshCall<Int>(target: .component("store", .state, .outbound), reading: .returnedIsSuccess)

    private func stack(_ filters: [(String, any CallFilter)]) -> CallStack {
        CallStack(filters.map { CallStack.Entry(FilterName($0.0), $0.1) })
    }

    @Test("more inline filters in a row than one step holds, around an awaiting one: each enters outside-in and exits inside-out")
    func longRunKeepsNesting() async throws {
        let journal = Journal()
        let names = ["a", "b", "c", "d", "e", "f"]
        var filters: [(String, any CallFilter)] = names.map { ($0, InlineFilter($0, journal)) }
        filters.append(("g", AwaitingFilter(name: "g", journal: journal)))
        filters.append(("h", InlineFilter("h", journal)))
        let result = try await stack(filters).run(call) { _ in
            journal.write("call")
            return 42
        }
        #expect(result == 42)
        #expect(
            journal.all
                == names.map { "\($0)>" } + ["g>", "h>", "call", "<h 42 (entered on attempt 1)", "<g"]
                + names.reversed().map { "<\($0) 42 (entered on attempt 1)" }
        )
    }

    @Test("a filter that refuses the call: the call never runs, and only the filters outside it see the error")
    func refusalUnwindsOuterFilters() async throws {
        let journal = Journal()
        var filters: [(String, any CallFilter)] = ["a", "b", "c", "d", "e"].map { ($0, InlineFilter($0, journal)) }
        filters.append(("f", InlineFilter("f", journal, refuses: true)))
        filters.append(("g", InlineFilter("g", journal)))
        await #expect(throws: InlineFilter.Refused.self) {
            try await stack(filters).run(call) { _ in
                journal.write("call")
                return 42
            }
        }
        #expect(journal.all == ["a>", "b>", "c>", "d>", "e>", "f refused", "<e!", "<d!", "<c!", "<b!", "<a!"])
    }

    @Test("a filter outside the retry sees the call once; one inside sees every attempt, and its failures")
    func retryRepeatsOnlyTheInnerFilters() async throws {
        let journal = Journal()
        let retry = RetryFilter(
            policy: .constant(.zero, maxRetries: 3),
            budget: nil,
            metrics: PipelineMetrics(target: .component("store", .state, .outbound), factory: NOOPMetricsHandler.instance),
            logger: Logger(label: "test"),
            retryOn: nil,
            remembersEndpoints: false
        )
        let attempts = Mutex(0)
        let result = try await stack([("outer", InlineFilter("outer", journal)), ("retry", retry), ("inner", InlineFilter("inner", journal))])
            .run(call) { call in
                let attempt = attempts.withLock { count in
                    count += 1
                    return count
                }
                guard attempt == 3 else { throw MeshError(.unavailable, "attempt \(attempt) fails") }
                return call.attempt
            }
        #expect(result == 3)
        #expect(
            journal.all == [
                "outer>",
                "inner>", "<inner!",
                "inner>", "<inner!",
                "inner>", "<inner 3 (entered on attempt 3)",
                "<outer 3 (entered on attempt 1)",
            ]
        )
    }

    @Test("a filter that changes the call: the filters below and the call see the change, the filters above see its result")
    func changingFilter() async throws {
        let journal = Journal()
        let stack = stack([
            ("outer", InlineFilter("outer", journal)),
            ("change", ChangingFilter(journal)),
            ("inner", InlineFilter("inner", journal)),
        ])
        let result = try await stack.run(call) { call in
            journal.write("call idempotent: \(call.isIdempotent)")
            return 1
        }
        #expect(result == 101)
        #expect(
            journal.all == [
                "outer>", "change>", "inner>", "call idempotent: false",
                "<inner 1 (entered on attempt 1)", "<change idempotent: false", "<outer 101 (entered on attempt 1)",
            ]
        )
    }

    @Test(
        "changing filters in a row change one copy of the call, the outer seeing the inner's change on its way out; one that cannot enter inline runs through its handle, on a copy of its own",
        arguments: [false, true]
    )
    func changingFiltersInARow(balancerWaits: Bool) async throws {
        let journal = Journal()
        let stack = stack([
            ("route", StampingFilter("route", attempt: 2, journal)),
            ("balancer", StampingFilter("balancer", attempt: 3, journal, waits: balancerWaits)),
            ("inner", InlineFilter("inner", journal)),
        ])
        let result = try await stack.run(call) { call in
            journal.write("call on attempt \(call.attempt)")
            return 1
        }
        #expect(result == 100)
        let balancer = balancerWaits ? ["balancer handle> sees attempt 2"] : ["balancer> sees attempt 2"]
        let balancerBack = balancerWaits ? ["<balancer handle", "<route sees attempt 2"] : ["<balancer sees attempt 3", "<route sees attempt 3"]
        #expect(
            journal.all
                == ["route> sees attempt 1"] + balancer + ["inner>", "call on attempt 3", "<inner 1 (entered on attempt 3)"] + balancerBack
        )
    }

    @Test("a changing filter that fails to enter: the call never runs, and only the changing filters entered before it see the error")
    func changingFilterThatFails() async throws {
        let journal = Journal()
        let stack = stack([
            ("outer", InlineFilter("outer", journal)),
            ("route", StampingFilter("route", attempt: 2, journal)),
            ("balancer", StampingFilter("balancer", attempt: 3, journal, fails: true)),
            ("inner", InlineFilter("inner", journal)),
        ])
        await #expect(throws: StampingFilter.Failed.self) {
            try await stack.run(call) { _ in
                journal.write("call")
                return 1
            }
        }
        #expect(journal.all == ["outer>", "route> sees attempt 1", "balancer failed", "<route!", "<outer!"])
    }

    @Test("an inline filter called through handle, outside a stack, brackets next the same way")
    func handleBrackets() async throws {
        let journal = Journal()
        let filter = InlineFilter("a", journal)
        let result = try await filter.handle(call) { _ in
            journal.write("call")
            return 7
        }
        #expect(result == 7)
        #expect(journal.all == ["a>", "call", "<a 7 (entered on attempt 1)"])
    }

    @Test("a changing filter called through handle gives next the changed call and returns its changed result")
    func changingHandle() async throws {
        let journal = Journal()
        let result = try await ChangingFilter(journal).handle(call) { call in
            journal.write("call idempotent: \(call.isIdempotent)")
            return 2
        }
        #expect(result == 102)
        #expect(journal.all == ["change>", "call idempotent: false", "<change idempotent: false"])
    }
}
