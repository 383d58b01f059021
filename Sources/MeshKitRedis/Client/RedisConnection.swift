import Foundation
import MeshKit

/// One Redis connection on a thread of its own, so that blocking hiredis calls never run on Swift's
/// cooperative pool.
///
/// Callers queue requests (one or more commands whose replies belong together) and await them. The
/// thread takes everything queued at once, appends it all to the socket, then reads every reply:
/// concurrent requests are pipelined. A broken connection fails the requests in flight and is
/// re-established, with backoff, by the next request.
final class RedisConnection: Sendable {
    private let core: Core

    /// Starts the connection's thread; nothing connects until the first request.
    ///
    /// - Parameter readTimeout: the socket's read timeout; a connection that sends blocking commands
    ///   (`XREADGROUP ... BLOCK`) needs more than the block time.
    init(options: RedisConnectionOptions, readTimeout: Duration? = nil, name: String) {
        core = Core(options: options, readTimeout: readTimeout ?? options.readTimeout)
        let thread = Thread { [core] in core.run() }
        thread.name = name
        thread.stackSize = 256 * 1024
        thread.start()
    }

    deinit {
        core.close()
    }

    /// Sends the commands as one pipeline and returns their replies in order.
    func send(_ commands: [RedisCommand]) async throws -> [RedisReply] {
        try await withUnsafeThrowingContinuation { continuation in
            core.enqueue(Request(commands: commands, continuation: continuation))
        }
    }

    /// Sends one command and returns its reply.
    func send(_ command: RedisCommand) async throws -> RedisReply {
        try await send([command])[0]
    }

    /// Fails what is queued and stops the thread once the request in progress is answered.
    func close() {
        core.close()
    }

    /// The number of requests queued and not yet taken by the thread, to balance a pool.
    var queuedCount: Int { core.queuedCount }

    private struct Request {
        let commands: [RedisCommand]
        let continuation: UnsafeContinuation<[RedisReply], any Error>
    }

    /// The state the thread and its callers share, guarded by `condition`.
    private final class Core: @unchecked Sendable {
        private let options: RedisConnectionOptions
        private let readTimeout: Duration
        private let condition = NSCondition()
        private var queue: [Request] = []
        private var isWaiting = false
        private var isClosed = false
        /// Only the thread touches the context.
        private var context: HiredisContext?

        init(options: RedisConnectionOptions, readTimeout: Duration) {
            self.options = options
            self.readTimeout = readTimeout
        }

        var queuedCount: Int {
            condition.lock()
            defer { condition.unlock() }
            return queue.count
        }

        func enqueue(_ request: Request) {
            condition.lock()
            if isClosed {
                condition.unlock()
                request.continuation.resume(throwing: RedisFailure.closed(options.endpoint))
                return
            }
            queue.append(request)
            let wake = isWaiting
            condition.unlock()
            if wake { condition.signal() }
        }

        func close() {
            condition.lock()
            isClosed = true
            let pending = queue
            queue.removeAll()
            condition.unlock()
            condition.signal()
            for request in pending {
                request.continuation.resume(throwing: RedisFailure.closed(options.endpoint))
            }
        }

        /// The thread's loop: take every queued request, pipeline them, repeat.
        func run() {
            var batch: [Request] = []
            while true {
                condition.lock()
                while queue.isEmpty && !isClosed {
                    isWaiting = true
                    condition.wait()
                    isWaiting = false
                }
                if isClosed {
                    condition.unlock()
                    context = nil
                    return
                }
                swap(&batch, &queue)
                condition.unlock()
                process(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }

        private func process(_ batch: [Request]) {
            let context: HiredisContext
            do {
                context = try connected()
            } catch {
                for request in batch { request.continuation.resume(throwing: error) }
                return
            }
            for request in batch {
                for command in request.commands { context.append(command) }
            }
            for (index, request) in batch.enumerated() {
                do {
                    var replies: [RedisReply] = []
                    replies.reserveCapacity(request.commands.count)
                    for _ in request.commands { replies.append(try context.readReply()) }
                    request.continuation.resume(returning: replies)
                } catch {
                    // hiredis contexts are dead after any error: drop it and fail what was sent on it.
                    self.context = nil
                    for failed in batch[index...] { failed.continuation.resume(throwing: error) }
                    return
                }
            }
        }

        /// The live context, connecting first (with retries and backoff, within `dialTimeout` in all)
        /// when there is none.
        private func connected() throws(MeshError) -> HiredisContext {
            if let context { return context }
            let start = ContinuousClock.now
            var attempt = 0
            while true {
                do {
                    let context = try HiredisContext(options: options, readTimeout: readTimeout)
                    self.context = context
                    return context
                } catch {
                    // Retry fast failures (a refused connection) but never past the dial timeout in all.
                    let pause = options.backoff(attempt: attempt + 1)
                    guard error.isRetryable, attempt < options.maxRetries,
                        ContinuousClock.now - start + pause < options.dialTimeout
                    else { throw error.error }
                    attempt += 1
                    Thread.sleep(forTimeInterval: Self.seconds(pause))
                }
            }
        }

        private static func seconds(_ duration: Duration) -> TimeInterval {
            let (seconds, attoseconds) = duration.components
            return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
        }
    }
}
