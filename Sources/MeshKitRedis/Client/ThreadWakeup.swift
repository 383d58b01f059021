import CHiredis
import Synchronization

/// Interrupts a connection thread that waits in `poll(2)` for its socket: a caller whose request
/// was cancelled, or the owner closing the connection, nudges it from any thread.
///
/// A nudge is a byte in a non-blocking pipe; the thread drains it and looks at its shared state to
/// learn why it woke. Once ``close()`` has been called every later wait ends at once.
final class ThreadWakeup: Sendable {
    /// The end the connection thread polls.
    let readFD: Int32
    private let writeFD: Int32
    private let closed = Atomic<Bool>(false)

    /// Creates the pipe; `nil` when the process is out of file descriptors.
    init?() {
        var fds: [Int32] = [-1, -1]
        guard chiredis_wake_pipe(&fds) == CHIREDIS_OK else { return nil }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        chiredis_wake_pipe_close(readFD, writeFD)
    }

    /// Wakes the thread; it keeps going after looking at why.
    func nudge() {
        chiredis_wake(writeFD)
    }

    /// Wakes the thread for good: the connection is closing.
    func close() {
        closed.store(true, ordering: .releasing)
        nudge()
    }

    /// Whether ``close()`` was called.
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Empties the pipe, so that the next wait blocks again unless there is a new nudge. A closed
    /// wakeup stays readable.
    func drain() {
        guard !isClosed else { return }
        chiredis_wake_drain(readFD)
    }

    /// Sleeps for `duration` unless woken first; returns whether it was woken.
    func sleep(for duration: Duration) -> Bool {
        chiredis_wait(-1, 0, readFD, duration.wholeMilliseconds) == CHIREDIS_WOKEN
    }
}
