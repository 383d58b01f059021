import CRabbitMQ
import Synchronization

/// Interrupts a connection thread that waits in `poll(2)`: a caller with new work, or the owner
/// closing the connection, nudges it from any thread. Once ``close()`` has been called every later
/// wait ends at once.
final class WakePipe: Sendable {
    /// The end the connection thread polls.
    let readFD: Int32
    private let writeFD: Int32
    private let closed = Atomic<Bool>(false)

    /// Creates the pipe; `nil` when the process is out of file descriptors.
    init?() {
        var fds: [Int32] = [-1, -1]
        guard crabbitmq_wake_pipe(&fds) == CRABBITMQ_OK else { return nil }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        crabbitmq_wake_pipe_close(readFD, writeFD)
    }

    /// Wakes the thread; it keeps going after looking at why.
    func nudge() {
        crabbitmq_wake(writeFD)
    }

    /// Wakes the thread for good.
    func close() {
        closed.store(true, ordering: .releasing)
        nudge()
    }

    /// Whether ``close()`` was called.
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Empties the pipe unless closed.
    func drain() {
        guard !isClosed else { return }
        crabbitmq_wake_drain(readFD)
    }

    /// Sleeps for `duration` unless woken first; returns whether it was woken.
    func sleep(for duration: Duration) -> Bool {
        crabbitmq_wait(nil, readFD, duration.milliseconds) == CRABBITMQ_WOKEN
    }
}

extension Duration {
    /// Whole milliseconds, at least zero and at most `Int.max` (a huge duration saturates rather
    /// than traps).
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let (whole, overflow) = Int(seconds).multipliedReportingOverflow(by: 1000)
        guard !overflow else { return seconds < 0 ? 0 : .max }
        let (total, sumOverflow) = whole.addingReportingOverflow(Int(attoseconds / 1_000_000_000_000_000))
        return sumOverflow ? .max : max(0, total)
    }
}
