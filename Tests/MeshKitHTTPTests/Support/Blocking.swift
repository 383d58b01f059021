import Foundation

/// Runs blocking socket work on a thread of its own, so the test never blocks Swift's
/// cooperative pool (two threads on a two-core machine), which the server under test needs.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}
