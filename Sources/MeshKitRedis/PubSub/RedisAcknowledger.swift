import Logging
import MeshKit
import Synchronization

/// Acknowledges stream entries in batches: the handlers that finish while an `XACK` is on its way
/// are acknowledged together by the next one (`XACK stream group id...`), which halves the commands
/// Redis runs per message under load.
final class RedisAcknowledger: Sendable {
    private struct State {
        var pending: [String] = []
        var isSending = false
    }

    private let state = Mutex(State())
    private let client: RedisClient
    private let topic: String
    private let group: String
    private let logger: Logger

    init(client: RedisClient, topic: String, group: String, logger: Logger) {
        self.client = client
        self.topic = topic
        self.group = group
        self.logger = logger
    }

    /// Queues `id` for acknowledgement. The caller that finds no `XACK` on its way sends every
    /// queued ID, repeating until none is left, and calls `done` with each batch once Redis has
    /// answered (or failed: the entries then stay pending, to be reclaimed).
    func acknowledge(_ id: String, done: ([String]) -> Void) async {
        let sends = state.withLock { state in
            state.pending.append(id)
            guard !state.isSending else { return false }
            state.isSending = true
            return true
        }
        guard sends else { return }
        while true {
            let batch = state.withLock { state in
                let batch = state.pending
                state.pending.removeAll(keepingCapacity: true)
                if batch.isEmpty { state.isSending = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            await send(batch)
            done(batch)
        }
    }

    private func send(_ ids: [String]) async {
        var command = RedisCommand("XACK", [.string(topic), .string(group)])
        for id in ids { command.append(.string(id)) }
        do {
            // Finished even when the subscription is being cancelled: a handled message that is not
            // acknowledged is delivered again.
            let reply = try await client.sendIgnoringCancellation(command)
            if let error = reply.errorMessage {
                logger.warning("XACK failed; the messages stay pending", metadata: ["error": "\(error)", "count": "\(ids.count)"])
            }
        } catch {
            logger.debug("XACK failed; the messages stay pending", metadata: ["error": "\(error)", "count": "\(ids.count)"])
        }
    }
}
