import Synchronization

/// The call limits of one cluster from Istio's `connectionPool`, enforced as Envoy's circuit
/// breakers enforce them:
///
/// - `http2MaxRequests` (Envoy's `max_requests`) caps the calls in flight or waiting, for HTTP/1.1
///   and HTTP/2 alike; a call past it fails at once.
/// - Over HTTP/1.1 each call holds a connection, so `maxConnections` caps the calls in flight; a
///   call past it waits, first come first served, for one to end, and when
///   `http1MaxPendingRequests` calls are already waiting it fails at once. Over HTTP/2
///   (`h2UpgradePolicy: UPGRADE`) calls share connections and never wait, as Envoy's HTTP/2 pool
///   never queues.
/// - `maxRetries` caps the retries in flight, separately: ``tryAcquireRetry()`` fails fast.
///
/// A call that fails fast throws ``MeshError`` with ``MeshError/Code/tooManyRequests``, the
/// counterpart of Envoy's overflow 503. Without limits the limiter costs one branch.
///
/// ```swift
/// try await limiter.acquire()
/// defer { limiter.release() }
/// ```
public final class ConnectionPoolLimiter: Sendable {
    /// The most calls in flight before further calls wait (`maxConnections` over HTTP/1.1); `nil`
    /// for no limit.
    public let maxInFlight: Int?
    /// The most calls in flight or waiting before further calls fail (`http2MaxRequests`); `nil`
    /// for no limit.
    public let maxRequests: Int?
    /// The most calls waiting (`http1MaxPendingRequests`); `nil` for no limit.
    public let maxPending: Int?

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var inFlight = 0
        /// Waiters in arrival order from `head`; the slots before it are spent.
        var waiters: [Waiter?] = []
        var head = 0
        var pending = 0
        var nextID: UInt64 = 0

        mutating func popFirst() -> Waiter? {
            while head < waiters.count {
                defer { head += 1 }
                if let waiter = waiters[head] {
                    waiters[head] = nil
                    pending -= 1
                    compact()
                    return waiter
                }
            }
            return nil
        }

        mutating func remove(_ id: UInt64) -> Waiter? {
            guard let index = waiters[head...].firstIndex(where: { $0?.id == id }), let waiter = waiters[index] else { return nil }
            waiters[index] = nil
            pending -= 1
            compact()
            return waiter
        }

        mutating func compact() {
            if pending == 0 {
                waiters.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 64 && head * 2 > waiters.count {
                waiters.removeFirst(head)
                head = 0
            }
        }
    }

    private enum Admission {
        case admitted
        case wait
        case overflow(String)
    }

    private let limited: Bool
    private let retries: ConcurrencyLimiter?
    private let state = Mutex(State())

    /// Creates a limiter for `policy`; limits below zero count as zero.
    public init(policy: ConnectionPoolPolicy) {
        let http2 = policy.h2UpgradePolicy == .upgrade
        maxInFlight = http2 ? nil : policy.maxConnections.map { max(0, $0) }
        maxRequests = policy.http2MaxRequests.map { max(0, $0) }
        maxPending = policy.http1MaxPendingRequests.map { max(0, $0) }
        limited = maxInFlight != nil || maxRequests != nil
        retries = policy.maxRetries.map { ConcurrencyLimiter(maxConcurrent: max(0, $0)) }
    }

    /// Waits for the right to make one call; call ``release()`` when it ends.
    ///
    /// - Throws: ``MeshError`` with ``MeshError/Code/tooManyRequests`` when the cluster is full
    ///   and the queue too, or `CancellationError` when the task is cancelled while waiting (it
    ///   leaves the queue at once).
    public func acquire() async throws {
        guard limited else { return }
        let (admission, id) = state.withLock { state in
            let admission = admit(&state)
            if case .wait = admission { state.nextID += 1 }
            return (admission, state.nextID)
        }
        switch admission {
        case .admitted:
            return
        case .overflow(let reason):
            throw MeshError(.tooManyRequests, reason)
        case .wait:
            try await wait(id)
        }
    }

    /// Gives back the right taken by ``acquire()``: the longest waiter, if any, gets it.
    public func release() {
        guard limited else { return }
        let next = state.withLock { state -> Waiter? in
            if let waiter = state.popFirst() { return waiter }
            precondition(state.inFlight > 0, "ConnectionPoolLimiter.release() called without a matching acquire()")
            state.inFlight -= 1
            return nil
        }
        next?.continuation.resume()
    }

    /// Takes a retry slot: `true` when the retry may go (call ``releaseRetry()`` when it ends),
    /// `false` when `maxRetries` retries are already in flight.
    public func tryAcquireRetry() -> Bool {
        retries?.tryAcquire() ?? true
    }

    /// Gives back a slot taken by a successful ``tryAcquireRetry()``.
    public func releaseRetry() {
        retries?.release()
    }

    /// The calls holding the right now.
    public var inFlight: Int {
        state.withLock { $0.inFlight }
    }

    /// The calls waiting now.
    public var pending: Int {
        state.withLock { $0.pending }
    }

    /// Decides on one call, taking the right when it is admitted. Under the lock.
    private func admit(_ state: inout State) -> Admission {
        if let maxRequests, state.inFlight + state.pending >= maxRequests {
            return .overflow("the cluster has \(maxRequests) calls in flight or waiting, its most (http2MaxRequests)")
        }
        if maxInFlight.map({ state.inFlight < $0 }) ?? true {
            state.inFlight += 1
            return .admitted
        }
        if let maxPending, state.pending >= maxPending {
            return .overflow(
                "the cluster has \(state.inFlight) calls in flight and \(state.pending) waiting, its most (http1MaxPendingRequests)"
            )
        }
        return .wait
    }

    private func wait(_ id: UInt64) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Admission? in
                    // A cancellation whose handler ran before this point found no waiter.
                    if Task.isCancelled { return nil }
                    // The state may have changed since the first look.
                    let admission = admit(&state)
                    if case .wait = admission {
                        state.waiters.append(Waiter(id: id, continuation: continuation))
                        state.pending += 1
                    }
                    return admission
                }
                switch outcome {
                case nil: continuation.resume(throwing: CancellationError())
                case .admitted?: continuation.resume()
                case .overflow(let reason)?: continuation.resume(throwing: MeshError(.tooManyRequests, reason))
                case .wait?: break
                }
            }
        } onCancel: {
            state.withLock { $0.remove(id) }?.continuation.resume(throwing: CancellationError())
        }
    }
}
