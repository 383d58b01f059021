import Dispatch
import Synchronization

/// Runs an attempt in a child task that is cancelled for real when its time is up.
///
/// The child races a Dispatch timer rather than a second, sleeping child task: one task fewer per
/// attempt, which is most of the cost of a timeout on the success path.
enum AttemptTimeout {
    /// The attempt's result, or `nil` when `limit` passed first; the attempt has then been
    /// cancelled and has finished.
    static func run<Result: Sendable>(limit: Duration, _ body: @Sendable () async throws -> Result) async throws -> Result? {
        try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: Void.self) { group in
                let race = Race<Result>()
                group.addTask {
                    do {
                        race.resolve(.finished(.success(try await body())))
                    } catch {
                        race.resolve(.finished(.failure(error)))
                    }
                }
                let timer = DispatchWorkItem { race.resolve(.timedOut) }
                let (seconds, attoseconds) = limit.components
                DispatchQueue.global().asyncAfter(
                    deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)),
                    execute: timer
                )
                let outcome = await race.outcome()
                timer.cancel()
                switch outcome {
                case .finished(let result):
                    return try result.get()
                case .timedOut:
                    // Leaving the group waits for the cancelled attempt to finish.
                    group.cancelAll()
                    return nil
                }
            }
        }
    }

    /// The first of an attempt's completion and its timer, delivered once.
    private final class Race<Result: Sendable>: Sendable {
        enum Outcome: Sendable {
            case finished(Swift.Result<Result, any Error>)
            case timedOut
        }

        private struct State {
            var outcome: Outcome?
            var waiter: CheckedContinuation<Outcome, Never>?
        }

        private let state = Mutex(State())

        func resolve(_ outcome: Outcome) {
            let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
                guard state.outcome == nil else { return nil }
                state.outcome = outcome
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: outcome)
        }

        func outcome() async -> Outcome {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Outcome? in
                    if let outcome = state.outcome { return outcome }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
