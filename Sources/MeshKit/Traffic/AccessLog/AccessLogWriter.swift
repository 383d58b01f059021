import Foundation

/// Appends access log lines to a file (Istio's `meshConfig.accessLogFile`, often `/dev/stdout`)
/// from a thread it owns, `meshkit-access-log`, so that no call waits on file I/O.
///
/// Lines queue in memory; at most ``maxQueuedLines`` wait, and past that lines are dropped and
/// counted rather than hold up calls. The thread starts with the first line, ends after a second
/// with nothing to write, and ends at once on ``close()``, after writing what is queued.
final class AccessLogWriter: Sendable {
    /// The most lines waiting to be written.
    static let maxQueuedLines = 10_000
    /// How long the thread stays with nothing to write before it ends.
    private static let idleLifetime: Duration = .seconds(1)

    private struct State {
        var lines: [String] = []
        var dropped = 0
        var isClosed = false
        /// The running thread's end, or `nil` when no thread runs.
        var thread: ThreadEnd?
    }

    /// The file.
    let path: String
    private let descriptor: Int32
    private let condition = MonotonicCondition()
    /// Guarded by `condition`'s mutex.
    private nonisolated(unsafe) var state = State()

    /// Opens `path` for appending; throws when it cannot be opened, naming it.
    init(path: String, resourceFile: String?) throws(MeshError) {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MeshError(
                .invalidConfiguration,
                "the access log file '\(path)' cannot be opened for writing: \(String(cString: strerror(errno)))",
                context: .init(file: resourceFile, field: "spec.meshConfig.accessLogFile")
            )
        }
        self.descriptor = descriptor
    }

    deinit {
        Foundation.close(descriptor)
    }

    /// Queues one line (with its newline), starting the thread if none runs.
    func append(_ line: String) {
        let start = condition.withLock { () -> ThreadEnd? in
            guard !state.isClosed else { return nil }
            if state.lines.count >= Self.maxQueuedLines {
                state.dropped += 1
            } else {
                state.lines.append(line)
            }
            guard state.thread == nil else { return nil }
            let end = ThreadEnd()
            state.thread = end
            return end
        }
        if let start {
            OwnedThread.start(named: "meshkit-access-log") { [self] in
                writeUntilIdle()
                start.markEnded()
            }
        } else {
            condition.broadcast()
        }
    }

    /// Writes what is queued, stops the thread and returns once it has ended. Later lines are
    /// dropped.
    func close() async {
        let running = condition.withLock { () -> ThreadEnd? in
            state.isClosed = true
            return state.thread
        }
        condition.broadcast()
        await running?.wait()
    }

    private func writeUntilIdle() {
        while true {
            let batch = condition.withLock { () -> (lines: [String], dropped: Int)? in
                let idleUntil = ContinuousClock.now + Self.idleLifetime
                while state.lines.isEmpty && state.dropped == 0 && !state.isClosed && ContinuousClock.now < idleUntil {
                    condition.wait(until: idleUntil)
                }
                guard !state.lines.isEmpty || state.dropped > 0 else {
                    state.thread = nil
                    return nil
                }
                defer {
                    state.lines.removeAll(keepingCapacity: true)
                    state.dropped = 0
                }
                return (state.lines, state.dropped)
            }
            guard let batch else { return }
            var text = batch.lines.joined()
            if batch.dropped > 0 {
                text += "[meshkit] \(batch.dropped) access log lines were dropped: the file could not keep up\n"
            }
            write(text)
        }
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
