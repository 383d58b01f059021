import Foundation
import Logging
import MeshKit
import ServiceLifecycle
import Synchronization

/// One subscription of a consumer group to a stream: it reads with `XREADGROUP` on a connection of
/// its own, runs at most `concurrency` handlers, acknowledges with `XACK`, and every
/// `redeliverInterval` reclaims with `XAUTOCLAIM` the entries pending for longer than
/// `processingTimeout`, skipping those this process is still handling (components-contrib#4599).
///
/// On graceful shutdown, or when its ``RedisSubscriptionState`` is stopped, it stops reading (the
/// reader's connection closes, ending an `XREADGROUP` in progress) and lets running handlers
/// finish; entries it read but did not start stay pending, to be reclaimed.
struct RedisStreamSubscription: Sendable {
    let client: RedisClient
    let settings: RedisPubSubSettings
    let topic: String
    let group: String
    let concurrency: Int
    let logger: Logger
    let handler: @Sendable (PubSubMessage) async -> DeliveryAcknowledgement
    /// This process's consumer name in the group.
    let consumer = "meshkit-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"

    /// The longest an `XREADGROUP` blocks.
    private var blockTime: Duration {
        let interval = settings.redeliverInterval > .zero ? settings.redeliverInterval : .seconds(1)
        return max(min(interval, .seconds(1)), .milliseconds(10))
    }

    private var reclaims: Bool {
        settings.redeliverInterval > .zero && settings.processingTimeout > .zero
    }

    /// Consumes until cancelled, a graceful shutdown or `state` is stopped; throws when the group
    /// cannot be created.
    func run(state: RedisSubscriptionState) async throws {
        try await createGroup()
        let reader = try client.dedicatedConnection(blockingFor: blockTime)
        state.whenStopped { reader.close() }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { handlers in
                await consume(reader: reader, state: state, handlers: &handlers)
            }
        } onGracefulShutdown: {
            state.stop()
        }
        await client.release(reader)
    }

    private func consume(reader: RedisConnection, state: RedisSubscriptionState, handlers: inout TaskGroup<Void>) async {
        let acknowledger = RedisAcknowledger(client: client, topic: topic, group: group, logger: logger)
        var running = 0
        var failures = 0
        var cursor = "0-0"
        var nextReclaim = ContinuousClock.now + settings.redeliverInterval
        while !state.isStopped && !Task.isCancelled {
            let entries: [RedisStreamEntry]
            do {
                if reclaims && ContinuousClock.now >= nextReclaim {
                    (entries, cursor) = try await reclaim(from: cursor)
                    if cursor == "0-0" { nextReclaim = ContinuousClock.now + settings.redeliverInterval }
                } else {
                    entries = try await read(on: reader)
                }
                failures = 0
            } catch {
                if state.isStopped || Task.isCancelled { break }
                failures += 1
                if failures == 1 {
                    logger.warning("reading the stream failed; retrying", metadata: ["error": "\(error)"])
                } else {
                    logger.debug("reading the stream failed again", metadata: ["error": "\(error)"])
                }
                let pause = client.options.backoff(attempt: failures)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: max(pause, .milliseconds(10))) }
                continue
            }
            // Mark the whole batch in flight at once: none of it may be reclaimed while it waits here.
            let fresh = entries.filter { state.claim($0.id) }
            for entry in fresh {
                while running >= concurrency {
                    await handlers.next()
                    running -= 1
                }
                guard !state.isStopped else {
                    state.release([entry.id])  // stays pending in Redis
                    continue
                }
                running += 1
                handlers.addTask { await process(entry, state: state, acknowledger: acknowledger) }
            }
        }
    }

    /// Hands one entry to the handler, then acknowledges it if the handler says so; the entry stays
    /// in flight until Redis has the acknowledgement.
    private func process(_ entry: RedisStreamEntry, state: RedisSubscriptionState, acknowledger: RedisAcknowledger) async {
        guard await handler(entry.message) == .ack else {
            state.release([entry.id])
            return
        }
        await acknowledger.acknowledge(entry.id) { state.release($0) }
    }

    private func read(on reader: RedisConnection) async throws -> [RedisStreamEntry] {
        let reply = try await reader.send(
            RedisCommand(
                "XREADGROUP",
                [
                    "GROUP", .string(group), .string(consumer), "COUNT", .int(settings.queueDepth),
                    "BLOCK", .int(blockTime.wholeMilliseconds), "STREAMS", .string(topic), ">",
                ]
            )
        )
        try await check(reply, command: "XREADGROUP")
        return RedisStreamEntry.entries(ofRead: reply, topic: topic)
    }

    /// One `XAUTOCLAIM` step from `cursor`; returns the entries claimed and the next cursor.
    private func reclaim(from cursor: String) async throws -> ([RedisStreamEntry], String) {
        let reply = try await client.send(
            RedisCommand(
                "XAUTOCLAIM",
                [
                    .string(topic), .string(group), .string(consumer), .int(settings.processingTimeout.wholeMilliseconds),
                    .string(cursor), "COUNT", .int(settings.queueDepth),
                ]
            )
        )
        try await check(reply, command: "XAUTOCLAIM")
        guard let parts = reply.elements, parts.count >= 2, let next = parts[0].string else { return ([], "0-0") }
        let entries = RedisStreamEntry.entries(parts[1], topic: topic)
        if !entries.isEmpty {
            logger.debug("reclaimed pending messages", metadata: ["count": "\(entries.count)"])
        }
        return (entries, next)
    }

    /// Throws for an error reply, re-creating the group first when Redis lost it (`NOGROUP`).
    private func check(_ reply: RedisReply, command: String) async throws {
        guard let message = reply.errorMessage else { return }
        if reply.errorPrefix == "NOGROUP" {
            try await createGroup()
        }
        throw RedisFailure.reply(message, command: command, code: .unavailable, subject: topic)
    }

    /// `XGROUP CREATE ... 0 MKSTREAM`; an existing group (`BUSYGROUP`) is fine.
    private func createGroup() async throws {
        let reply = try await client.send(RedisCommand("XGROUP", ["CREATE", .string(topic), .string(group), "0", "MKSTREAM"]))
        if let message = reply.errorMessage, reply.errorPrefix != "BUSYGROUP" {
            throw RedisFailure.reply(message, command: "XGROUP CREATE", code: .unavailable, subject: topic)
        }
    }
}

/// What a subscription's reader and handlers share: the entries in flight and whether to stop.
final class RedisSubscriptionState: Sendable {
    private struct State {
        var inFlight: Set<String> = []
        var isStopped = false
        /// What to do on ``stop()``, such as closing the reader's connection.
        var onStop: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())

    /// Marks an entry in flight; `false` when it already is (a reclaim of a message still being handled).
    func claim(_ id: String) -> Bool {
        state.withLock { $0.inFlight.insert(id).inserted }
    }

    /// Marks entries done.
    func release(_ ids: [String]) {
        state.withLock { state in
            for id in ids { state.inFlight.remove(id) }
        }
    }

    /// Stops reading, and runs what was registered with ``whenStopped(_:)``.
    func stop() {
        let actions = state.withLock { state in
            state.isStopped = true
            defer { state.onStop.removeAll() }
            return state.onStop
        }
        for action in actions { action() }
    }

    /// Runs `action` when the subscription stops, or now if it has.
    func whenStopped(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state in
            if !state.isStopped { state.onStop.append(action) }
            return state.isStopped
        }
        if now { action() }
    }

    /// Whether the subscription stops reading.
    var isStopped: Bool { state.withLock { $0.isStopped } }
}
