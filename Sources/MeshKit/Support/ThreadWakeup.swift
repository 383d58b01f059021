import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interrupts a thread MeshKit owns while it waits in `poll(2)` for a socket: a caller with new
/// work or a cancelled request, or the owner closing the connection, nudges it from any thread.
///
/// A nudge is a byte in a non-blocking, close-on-exec pipe whose read end (``readFD``) the thread
/// polls next to its socket; it drains the pipe and looks at its shared state to learn why it woke.
/// Once ``close()`` has been called every later wait ends at once. Used by the Redis and RabbitMQ
/// connection threads.
package final class ThreadWakeup: Sendable {
    /// The end the thread polls.
    package let readFD: Int32
    private let writeFD: Int32
    private let closed = Atomic<Bool>(false)

    /// Creates the pipe; `nil` when the process is out of file descriptors.
    package init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            let flags = fcntl(fd, F_GETFL)
            guard flags != -1, fcntl(fd, F_SETFL, flags | O_NONBLOCK) != -1, fcntl(fd, F_SETFD, FD_CLOEXEC) != -1 else {
                closeDescriptor(fds[0])
                closeDescriptor(fds[1])
                return nil
            }
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        closeDescriptor(readFD)
        closeDescriptor(writeFD)
    }

    /// Wakes the thread; it keeps going after looking at why. A full pipe is already readable.
    package func nudge() {
        var byte: UInt8 = 1
        while write(writeFD, &byte, 1) == -1 && errno == EINTR {}
    }

    /// Wakes the thread for good: the connection is closing.
    package func close() {
        closed.store(true, ordering: .releasing)
        nudge()
    }

    /// Whether ``close()`` was called.
    package var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Empties the pipe, so that the next wait blocks again unless there is a new nudge. A closed
    /// wakeup stays readable.
    package func drain() {
        guard !isClosed else { return }
        var buffer = (0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64)
        while true {
            let got = withUnsafeMutableBytes(of: &buffer) { read(readFD, $0.baseAddress, $0.count) }
            guard got > 0 || (got == -1 && errno == EINTR) else { return }
        }
    }

    /// Sleeps for `duration` unless woken first; returns whether it was woken.
    package func sleep(for duration: Duration) -> Bool {
        var descriptor = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let timeout = Int32(clamping: duration.wholeMilliseconds)
        var ready: Int32
        repeat {
            ready = poll(&descriptor, 1, timeout)
        } while ready == -1 && errno == EINTR
        return ready > 0
    }
}

/// `close(2)`, out of reach of ``ThreadWakeup/close()`` inside the class.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
