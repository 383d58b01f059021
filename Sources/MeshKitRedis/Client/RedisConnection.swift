import Foundation
import MeshKit
import Synchronization

/// One Redis connection on a thread of its own, so that blocking hiredis calls never run on Swift's
/// cooperative pool.
///
/// Callers queue requests (one or more commands whose replies belong together) and await them. The
/// thread takes everything queued at once, appends it all to the socket, then reads every reply:
/// concurrent requests are pipelined. A broken connection fails the requests in flight and is
/// re-established, with backoff, by the next request.
///
/// A cancelled request returns `CancellationError` at once. If it was still queued it is never
/// sent; if it was on the wire, its reply is read and thrown away in order, so it can never be
/// taken for another request's, and when no request on the wire is still awaited the connection
/// is dropped (and reconnected by the next request) rather than left waiting for a stalled server.
final class RedisConnection: Sendable {
    /// The name of every thread the Redis module starts (Linux keeps 15 bytes of a thread name).
    static let threadName = "meshkit-redis"

    private let core: RedisConnectionCore
    private let ids = Atomic<UInt64>(0)

    /// Starts the connection's thread; nothing connects until the first request.
    ///
    /// - Parameter readTimeout: the longest a reply may take; a connection that sends blocking
    ///   commands (`XREADGROUP ... BLOCK`) needs more than the block time.
    init(options: RedisConnectionOptions, readTimeout: Duration? = nil) {
        core = RedisConnectionCore(options: options, readTimeout: readTimeout ?? options.readTimeout)
        guard core.isStartable else { return }
        OwnedThread.start(named: Self.threadName, stackSize: 256 * 1024) { [core] in core.run() }
    }

    deinit {
        core.close()
    }

    /// Sends the commands as one pipeline and returns their replies in order. Throws
    /// `CancellationError` as soon as the task is cancelled.
    func send(_ commands: [RedisCommand]) async throws -> [RedisReply] {
        let id = ids.add(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                core.enqueue(RedisConnectionCore.Request(id: id, commands: commands), continuation: continuation)
            }
        } onCancel: {
            core.cancel(id)
        }
    }

    /// Sends one command and returns its reply.
    func send(_ command: RedisCommand) async throws -> RedisReply {
        try await send([command])[0]
    }

    /// Fails every request, queued or on the wire, and stops the thread without waiting for it.
    func close() {
        core.close()
    }

    /// Closes the connection and returns once its thread has ended.
    func shutdown() async {
        core.close()
        await core.waitUntilEnded()
    }

    /// The number of requests queued and not yet taken by the thread, to balance a pool.
    var queuedCount: Int { core.queuedCount }
}
