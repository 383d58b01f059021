public import Foundation
import MeshKit
import Synchronization

/// A child process that serves HTTP on a loopback port, for integration tests: a second MeshKit
/// service, a plain HTTP server, anything that prints its port when it is ready.
///
/// ```swift
/// let peer = try await HTTPTestProcess.start(executable: binary, arguments: ["0"], readyPattern: #"LISTENING (\d+)"#)
/// defer { peer.kill() }
/// ```
public final class HTTPTestProcess: Sendable {
    /// The port the process printed.
    public let port: Int
    /// The process ID.
    public let processIdentifier: Int32
    private let process: SendableProcess
    private let exited: Exited

    private final class Exited: Sendable {
        private let state = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
        func signal() {
            let waiters = state.withLock { state in
                state.done = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        func wait() async {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state in
                    if state.done { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }
    }

    private init(port: Int, process: SendableProcess, exited: Exited) {
        self.port = port
        self.processIdentifier = process.process.processIdentifier
        self.process = process
        self.exited = exited
    }

    /// Starts `executable` and waits until a line of its standard output matches
    /// `readyPattern`, whose first capture group is the port. Fails if the process exits first
    /// or does not become ready within `timeout`.
    public static func start(
        executable: URL,
        arguments: [String] = [],
        currentDirectory: URL? = nil,
        readyPattern: String,
        timeout: Duration = .seconds(20)
    ) async throws -> HTTPTestProcess {
        let regex = try NSRegularExpression(pattern: readyPattern)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let exited = Exited()
        process.terminationHandler = { _ in exited.signal() }
        try await TestProcessLauncher.launch(process)
        let box = SendableProcess(process)
        let resumed = Mutex(false)
        let port: Int = try await withCheckedThrowingContinuation { continuation in
            @Sendable func finish(_ result: Result<Int, any Error>) {
                let first = resumed.withLock { resumed in
                    defer { resumed = true }
                    return !resumed
                }
                if first { continuation.resume(with: result) }
            }
            let reader = Thread {
                var seen = ""
                let handle = output.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    guard !resumed.withLock({ $0 }) else { continue }
                    seen += String(decoding: chunk, as: UTF8.self)
                    let range = NSRange(seen.startIndex..., in: seen)
                    if let match = regex.firstMatch(in: seen, range: range), match.numberOfRanges > 1,
                        let portRange = Range(match.range(at: 1), in: seen), let port = Int(seen[portRange])
                    {
                        finish(.success(port))
                    }
                }
                finish(
                    .failure(
                        TestServerError(message: "\(executable.lastPathComponent) exited before it was ready; it printed: \(seen)")
                    )
                )
            }
            reader.start()
            let deadline = DispatchTime.now() + .nanoseconds(Int(timeout.wholeNanoseconds))
            DispatchQueue.global().asyncAfter(deadline: deadline) {
                if !resumed.withLock({ $0 }) {
                    finish(.failure(TestServerError(message: "\(executable.lastPathComponent) was not ready within \(timeout)")))
                    _ = Foundation.kill(box.process.processIdentifier, SIGKILL)
                }
            }
        }
        return HTTPTestProcess(port: port, process: box, exited: exited)
    }

    deinit {
        // A test that forgot to stop its peer must not leave it listening after the test run.
        if process.process.isRunning { _ = Foundation.kill(processIdentifier, SIGKILL) }
    }

    /// Runs `body` with the process, then stops it (SIGKILL), also when `body` throws.
    public func withRunning<T: Sendable>(_ body: (HTTPTestProcess) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await kill()
            return result
        } catch {
            await kill()
            throw error
        }
    }

    /// Whether the process still runs.
    public var isRunning: Bool { process.process.isRunning }

    /// Sends SIGTERM and waits until the process exits; after `grace`, sends SIGKILL. (A child
    /// of a test runner may inherit a signal mask that blocks SIGTERM.) Returns whether the
    /// process exited within `grace`, before any SIGKILL.
    @discardableResult
    public func stop(grace: Duration = .seconds(2)) async -> Bool {
        if process.process.isRunning { process.process.terminate() }
        let processIdentifier = self.processIdentifier
        let process = self.process
        let exited = self.exited
        let exitedWithinGrace = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await exited.wait()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: grace)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !exitedWithinGrace {
            if process.process.isRunning { _ = Foundation.kill(processIdentifier, SIGKILL) }
            await exited.wait()
        }
        return exitedWithinGrace
    }

    /// Sends SIGKILL (no graceful shutdown) and waits until the process exits.
    public func kill() async {
        if process.process.isRunning { _ = Foundation.kill(processIdentifier, SIGKILL) }
        await exited.wait()
    }
}
