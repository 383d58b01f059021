public import MeshKit
import Synchronization

/// Records what a subscription handler receives and lets a test wait for it without sleeping.
///
/// ```swift
/// let recorder = EventRecorder()
/// try await mesh.subscribe(pubsub: "pubsub", topic: "orders", handler: recorder.handler())
/// let events = try await recorder.waitForEvents(count: 1)
/// ```
public final class EventRecorder: Sendable {
    private struct Waiter {
        let count: Int
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var events: [TopicEvent] = []
        var waiters: [Int: Waiter] = [:]
        var nextWaiterID = 0
    }

    private let state = Mutex(State())

    /// Creates an empty recorder.
    public init() {}

    /// Every event recorded so far, in arrival order.
    public var events: [TopicEvent] { state.withLock { $0.events } }

    /// A handler that records each event, then answers what `respond` says (success by default).
    public func handler(
        _ respond: @escaping @Sendable (TopicEvent, _ deliveryNumber: Int) async throws -> TopicEventResponse = { _, _ in .success }
    ) -> TopicHandler {
        { [self] event in
            let number = record(event)
            return try await respond(event, number)
        }
    }

    /// Records an event and returns how many have been recorded, this one included.
    @discardableResult
    public func record(_ event: TopicEvent) -> Int {
        let (count, ready) = state.withLock { state in
            state.events.append(event)
            let count = state.events.count
            let ready = state.waiters.filter { $0.value.count <= count }
            for id in ready.keys { state.waiters[id] = nil }
            return (count, ready.values.map(\.continuation))
        }
        for continuation in ready { continuation.resume(returning: true) }
        return count
    }

    /// Waits until at least `count` events are recorded, or throws after `timeout`.
    public func waitForEvents(count: Int, timeout: Duration = .seconds(10)) async throws -> [TopicEvent] {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let timer = Task { [self] in
            try await Task.sleep(for: timeout)
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(returning: false)
        }
        defer { timer.cancel() }
        let arrived = await withCheckedContinuation { continuation in
            let satisfied = state.withLock { state in
                if state.events.count >= count { return true }
                state.waiters[id] = Waiter(count: count, continuation: continuation)
                return false
            }
            if satisfied { continuation.resume(returning: true) }
        }
        guard arrived else { throw TimeoutError(count: count, timeout: timeout) }
        return events
    }

    /// Thrown by ``waitForEvents(count:timeout:)`` when the events do not arrive in time.
    public struct TimeoutError: Error, CustomStringConvertible {
        /// The number of events awaited.
        public let count: Int
        /// How long the wait lasted.
        public let timeout: Duration
        public var description: String { "fewer than \(count) events arrived within \(timeout)" }
    }
}
