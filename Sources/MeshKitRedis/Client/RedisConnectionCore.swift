import Foundation
import MeshKit

/// What a ``RedisConnection``'s thread shares with its callers, and the thread's loop.
///
/// Every awaited request has its continuation in `waiters` until someone takes it out under the
/// lock and resumes it: the thread with the replies or an error, a canceller with
/// `CancellationError`, or ``close()``. Whoever takes it resumes it, so each resumes exactly once.
final class RedisConnectionCore: @unchecked Sendable {
    /// Commands whose replies belong together.
    struct Request {
        let id: UInt64
        let commands: [RedisCommand]
    }

    typealias Continuation = UnsafeContinuation<[RedisReply], any Error>

    /// What stopped a batch early.
    private enum BatchFailure: Error {
        /// The connection failed: the requests still on the wire fail with this error.
        case failed(MeshError)
        /// No request on the wire is awaited any more: the connection is dropped.
        case abandoned
    }

    private let options: RedisConnectionOptions
    private let readTimeout: Duration
    /// `nil` when no pipe could be made; the connection is then closed from the start.
    private let wakeup: ThreadWakeup?

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queue: [Request] = []
    private var waiters: [UInt64: Continuation] = [:]
    private var isWaiting = false
    private var closedError: MeshError?
    private let end = ThreadEnd()

    /// Only the thread touches the context.
    private var context: HiredisContext?

    init(options: RedisConnectionOptions, readTimeout: Duration) {
        self.options = options
        self.readTimeout = readTimeout
        self.wakeup = ThreadWakeup()
        if wakeup == nil {
            closedError = RedisFailure.unreachable(options.endpoint, reason: "no file descriptor is left for the connection's thread")
            end.markEnded()
        }
    }

    /// Whether the thread should start: false when the connection could not be set up.
    var isStartable: Bool { wakeup != nil }

    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    /// Queues a request, or fails it at once when the connection is closed or the task cancelled.
    /// Call it from the task that awaits `continuation`.
    func enqueue(_ request: Request, continuation: Continuation) {
        condition.lock()
        if let closedError {
            condition.unlock()
            continuation.resume(throwing: closedError)
            return
        }
        // Checked under the lock: a cancellation after this finds the request in `waiters`.
        if Task.isCancelled {
            condition.unlock()
            continuation.resume(throwing: CancellationError())
            return
        }
        queue.append(request)
        waiters[request.id] = continuation
        let wake = isWaiting
        condition.unlock()
        if wake { condition.signal() }
    }

    /// Fails the request with `CancellationError` now. A queued request leaves the queue; one on the
    /// wire is left to the thread, which is woken to decide whether the connection is still needed.
    func cancel(_ id: UInt64) {
        condition.lock()
        guard let continuation = waiters.removeValue(forKey: id) else {
            condition.unlock()
            return
        }
        let queued = queue.firstIndex { $0.id == id }
        if let queued { queue.remove(at: queued) }
        condition.unlock()
        continuation.resume(throwing: CancellationError())
        if queued == nil { wakeup?.nudge() }
    }

    /// Fails what is queued now and what is on the wire as soon as the thread wakes, then ends the
    /// thread. Idempotent.
    func close() {
        condition.lock()
        guard closedError == nil else {
            condition.unlock()
            return
        }
        let error = RedisFailure.closed(options.endpoint)
        closedError = error
        let failed = queue.compactMap { waiters.removeValue(forKey: $0.id) }
        queue.removeAll()
        condition.unlock()
        condition.broadcast()
        wakeup?.close()
        for continuation in failed { continuation.resume(throwing: error) }
    }

    /// Returns once the thread has ended.
    func waitUntilEnded() async {
        await end.wait()
    }

    /// The thread's loop: take every queued request, pipeline them, repeat until closed.
    func run() {
        var batch: [Request] = []
        while true {
            condition.lock()
            while queue.isEmpty && closedError == nil {
                isWaiting = true
                condition.wait()
                isWaiting = false
            }
            if closedError != nil {
                condition.unlock()
                break
            }
            swap(&batch, &queue)
            condition.unlock()
            process(batch)
            batch.removeAll(keepingCapacity: true)
        }
        context = nil
        end.markEnded()
    }

    private func process(_ batch: [Request]) {
        let pending = batch.filter(isAwaited)
        guard !pending.isEmpty, let wakeup else { return }
        let context: HiredisContext
        do {
            context = try connected(wakeup: wakeup, for: pending)
        } catch {
            fail(pending[...], error)
            return
        }
        for request in pending {
            for command in request.commands { context.append(command) }
        }
        var answered = 0
        do throws(BatchFailure) {
            try interruptible(awaiting: pending[...], context.flush)
            while answered < pending.count {
                let request = pending[answered]
                var replies: [RedisReply] = []
                replies.reserveCapacity(request.commands.count)
                for _ in request.commands {
                    replies.append(try interruptible(awaiting: pending[answered...], context.readReply))
                }
                finish(request.id, .success(replies))
                answered += 1
            }
        } catch {
            // hiredis contexts are dead after any error; an abandoned one may still owe replies.
            self.context = nil
            if case .failed(let error) = error { fail(pending[answered...], error) }
        }
    }

    /// Runs `body` again after each nudge of the wakeup while a request in `pending` is still
    /// awaited.
    private func interruptible<Result>(
        awaiting pending: ArraySlice<Request>,
        _ body: () throws(HiredisContext.IOFailure) -> Result
    ) throws(BatchFailure) -> Result {
        while true {
            do throws(HiredisContext.IOFailure) {
                return try body()
            } catch {
                switch error {
                case .failed(let error): throw .failed(error)
                case .interrupted: guard pending.contains(where: isAwaited) else { throw .abandoned }
                }
            }
        }
    }

    private func isAwaited(_ request: Request) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return waiters[request.id] != nil
    }

    private func finish(_ id: UInt64, _ result: Result<[RedisReply], any Error>) {
        condition.lock()
        let continuation = waiters.removeValue(forKey: id)
        condition.unlock()
        continuation?.resume(with: result)
    }

    private func fail(_ requests: ArraySlice<Request>, _ error: any Error) {
        for request in requests { finish(request.id, .failure(error)) }
    }

    /// The live context, connecting first (with retries and backoff, within `dialTimeout` in all)
    /// when there is none. The pauses between attempts end early on a close, or once nobody awaits
    /// `pending`.
    private func connected(wakeup: ThreadWakeup, for pending: [Request]) throws(MeshError) -> HiredisContext {
        if let context { return context }
        let start = ContinuousClock.now
        var attempt = 0
        while true {
            do {
                let context = try HiredisContext(options: options, readTimeout: readTimeout, wakeup: wakeup)
                self.context = context
                return context
            } catch {
                // Retry fast failures (a refused connection) but never past the dial timeout in all.
                let pause = options.backoff(attempt: attempt + 1)
                guard error.isRetryable, attempt < options.maxRetries,
                    ContinuousClock.now - start + pause < options.dialTimeout
                else { throw error.error }
                attempt += 1
                let resume = ContinuousClock.now + pause
                while ContinuousClock.now < resume, wakeup.sleep(for: resume - ContinuousClock.now) {
                    if wakeup.isClosed { throw RedisFailure.closed(options.endpoint) }
                    wakeup.drain()
                    if !pending.contains(where: isAwaited) { throw error.error }
                }
            }
        }
    }
}
