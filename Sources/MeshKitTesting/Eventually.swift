/// Polls `condition` every 20ms until it holds; throws ``TestServerError`` naming `what` after
/// `timeout`. For outcomes that arrive on another process's or thread's schedule: the bound is
/// generous, and a passing test returns as soon as the condition holds.
public func eventually(
    timeout: Duration = .seconds(10),
    _ what: String,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TestServerError(message: "timed out waiting until \(what)")
}
