import Foundation
import MeshKitTestSupport
import MeshKitTesting
import Synchronization
import Testing

@testable import MeshKit

@Suite("The attempt timer: one thread per mesh cancels attempts at their deadline")
struct AttemptTimerTests {
    @Test("timers come due in deadline order, and a withdrawn timer never fires")
    func heapOrder() {
        var heap = TimerHeap<String>()
        let start = ContinuousClock.now
        _ = heap.insert("third", at: start + .seconds(3))
        let withdrawn = heap.insert("withdrawn", at: start + .seconds(2))
        _ = heap.insert("first", at: start + .seconds(1))
        let removed = heap.remove(withdrawn)
        let removedAgain = heap.remove(withdrawn)
        #expect(removed)
        #expect(!removedAgain, "a timer is withdrawn once")
        #expect(heap.earliest == start + .seconds(1))
        let early = heap.popDue(at: start)
        #expect(early == nil, "nothing is due yet")
        let first = heap.popDue(at: start + .seconds(5))
        let second = heap.popDue(at: start + .seconds(5))
        #expect(first == "first" && second == "third")
        #expect(heap.isEmpty)
    }

    @Test("a reused slot does not answer to the ticket of the timer that held it before")
    func slotReuse() {
        var heap = TimerHeap<Int>()
        let now = ContinuousClock.now
        let old = heap.insert(1, at: now)
        let fired = heap.popDue(at: now)
        #expect(fired == 1)
        let new = heap.insert(2, at: now + .seconds(1))
        let removedOld = heap.remove(old)
        let removedNew = heap.remove(new)
        #expect(!removedOld, "the fired timer's ticket does not withdraw its slot's new timer")
        #expect(removedNew)
    }

    @Test("many timers with random deadlines come out sorted")
    func heapSorts() {
        var heap = TimerHeap<Int>()
        let now = ContinuousClock.now
        var tickets: [TimerHeap<Int>.Ticket] = []
        for value in (0..<500).shuffled() { tickets.append(heap.insert(value, at: now + .milliseconds(value))) }
        var removed = 0
        for (index, ticket) in tickets.enumerated() where index % 3 == 0 {
            if heap.remove(ticket) { removed += 1 }
        }
        #expect(removed == (500 + 2) / 3)
        var out: [Int] = []
        while let value = heap.popDue(at: now + .seconds(1)) { out.append(value) }
        #expect(out == out.sorted())
        #expect(out.count == 500 - (500 + 2) / 3)
    }

    @Test("an attempt that finishes in time returns its result")
    func inTime() async throws {
        let timer = AttemptTimer()
        defer { timer.shutdown() }
        let result = try await timer.run(until: .now + .seconds(10)) { 42 }
        #expect(result == 42)
    }

    @Test("an attempt still running at its deadline is cancelled for real, and the timer reports the timeout")
    func cancelsAtDeadline() async throws {
        let timer = AttemptTimer()
        defer { timer.shutdown() }
        let sawCancellation = Mutex(false)
        let start = ContinuousClock.now
        let result: Int? = try await timer.run(until: .now + .milliseconds(100)) {
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                sawCancellation.withLock { $0 = true }
                throw error
            }
            return 1
        }
        #expect(result == nil)
        #expect(sawCancellation.withLock { $0 })
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(95) && elapsed < .seconds(5))
    }

    @Test("cancelling the caller cancels the attempt, which is not reported as a timeout")
    func callerCancellation() async throws {
        let timer = AttemptTimer()
        defer { timer.shutdown() }
        let caller = Task {
            try await timer.run(until: .now + .seconds(30)) { try await Task.sleep(for: .seconds(30)) }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
    }

    @Test("shutdown ends the timer's thread, and later attempts fail instead of running untimed")
    func shutdownEndsThread() async throws {
        let timer = AttemptTimer()
        _ = try await timer.run(until: .now + .seconds(30)) { 1 }
        #expect(timer.isThreadRunning)
        // The thread names itself once it runs, which may be after the attempt has finished.
        try await eventually(timeout: .seconds(10), "the timer's thread is named meshkit-timer") {
            ProcessThreads.count(namedWithPrefix: "meshkit-timer") > 0
        }
        timer.shutdown()
        #expect(!timer.isThreadRunning, "shutdown returns once the thread has ended")
        await #expect(throws: MeshError.self) { try await timer.run(until: .now + .seconds(1)) { 1 } }
    }

    @Test("the thread ends by itself after a second with nothing to time")
    func idleThreadEnds() async throws {
        let timer = AttemptTimer()
        defer { timer.shutdown() }
        _ = try await timer.run(until: .now + .seconds(30)) { 1 }
        try await eventually(timeout: .seconds(10), "the idle timer thread ended") { !timer.isThreadRunning }
        #expect(try await timer.run(until: .now + .seconds(30)) { 2 } == 2, "and starts again when needed")
    }

    @Test("a mesh's shutdown stops its timer thread")
    func meshShutdown() async throws {
        let timeouts = ResiliencyResource(
            name: "timeouts",
            timeouts: ["short": .seconds(5)],
            components: ["statestore": ComponentPolicyNames(outbound: PolicyNames(timeout: "short"))]
        )
        let mesh = try await makeMesh(components: [.inMemoryStateStore], resiliencies: [timeouts])
        try await mesh.saveState(store: "statestore", key: "k", value: 1)
        await mesh.shutdown()
        await #expect(throws: MeshError.self) { try await mesh.saveState(store: "statestore", key: "k", value: 2) }
    }
}
