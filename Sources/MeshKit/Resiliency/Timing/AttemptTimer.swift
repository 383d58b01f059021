/// Cancels the attempts whose time is up: the attempt timeout and the deadline of every
/// pipeline of one mesh.
///
/// An attempt runs as an `async let` child of the calling task, which registers itself here with
/// its deadline; one thread the mesh owns sleeps until the earliest deadline and cancels the
/// attempt's task for real, so the work stops down to the C edge (libcurl aborts the transfer,
/// hiredis drops the connection). The success path costs two short locked sections (a heap
/// insertion and removal) and the child task: three allocations, measured (the `async let`
/// context and two task-allocator slabs), against eighteen for a task group racing a sleeping
/// sibling. No timer is made per call.
///
/// The thread starts on first use, ends after a second with nothing to time, and ends at once on
/// ``shutdown()``.
final class AttemptTimer: @unchecked Sendable {
    private struct State {
        var timers = TimerHeap<UnsafeCurrentTask>()
        var isThreadRunning = false
        /// When the sleeping thread wakes on its own; `nil` while it is awake or not running.
        var wakeAt: ContinuousClock.Instant?
        /// Whether anything was scheduled since the thread last woke.
        var wasActive = false
        var isShutDown = false
    }

    /// How long the thread stays with nothing to time before it ends.
    private static let idleLifetime: Duration = .seconds(1)

    private let condition = MonotonicCondition()
    /// Guarded by `condition`'s mutex.
    private var state = State()

    /// Runs `body` in a child task that is cancelled at `deadline`. Returns its result, or `nil`
    /// when the deadline came first; the child has then finished.
    func run<Result: Sendable>(
        until deadline: ContinuousClock.Instant,
        _ body: @Sendable () async throws -> Result
    ) async throws -> Result? {
        async let outcome = attempt(until: deadline, body)
        return try await outcome
    }

    private func attempt<Result: Sendable>(
        until deadline: ContinuousClock.Instant,
        _ body: @Sendable () async throws -> Result
    ) async throws -> Result? {
        let ticket = try withUnsafeCurrentTask { task in
            // An `async let` child always runs in a task.
            try schedule(task!, at: deadline)
        }
        // Once the timer has fired, whatever the body made of its cancellation (an error, or an
        // answer such as an in-process handler's 500) is the timeout's doing: the attempt timed out.
        let result: Result
        do {
            result = try await body()
        } catch {
            guard cancel(ticket) else { return nil }
            throw error
        }
        return cancel(ticket) ? result : nil
    }

    /// Whether the timer's thread is running, for tests.
    var isThreadRunning: Bool { condition.withLock { state.isThreadRunning } }

    /// Stops the thread and waits for it to end. Attempts that start afterwards fail.
    func shutdown() {
        condition.withLock {
            state.isShutDown = true
            condition.broadcast()
            while state.isThreadRunning { condition.wait() }
        }
    }

    private func schedule(_ task: UnsafeCurrentTask, at deadline: ContinuousClock.Instant) throws -> TimerHeap<UnsafeCurrentTask>.Ticket {
        try condition.withLock {
            guard !state.isShutDown else { throw MeshError(.cancelled, "the mesh was shut down") }
            let ticket = state.timers.insert(task, at: deadline)
            state.wasActive = true
            if !state.isThreadRunning {
                state.isThreadRunning = true
                startThread()
            } else if let wakeAt = state.wakeAt, deadline < wakeAt {
                condition.broadcast()
            }
            return ticket
        }
    }

    /// Withdraws a timer; `false` when it had already fired.
    private func cancel(_ ticket: TimerHeap<UnsafeCurrentTask>.Ticket) -> Bool {
        condition.withLock { state.timers.remove(ticket) }
    }

    private func startThread() {
        OwnedThread.start(named: "meshkit-timer") { [self] in loop() }
    }

    private func loop() {
        condition.withLock {
            while !state.isShutDown {
                let now = ContinuousClock.now
                // The task is alive: its timer is withdrawn, under this lock, before it returns.
                while let task = state.timers.popDue(at: now) { task.cancel() }
                let earliest = state.timers.earliest
                if earliest == nil, !state.wasActive { break }
                state.wasActive = false
                let wakeAt = earliest ?? now + Self.idleLifetime
                state.wakeAt = wakeAt
                condition.wait(until: wakeAt)
                state.wakeAt = nil
            }
            state.isThreadRunning = false
            condition.broadcast()
        }
    }
}
