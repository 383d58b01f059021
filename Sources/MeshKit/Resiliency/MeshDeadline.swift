/// The overall deadline of the call the current task is making, across every retry.
///
/// The pipeline binds it for the duration of a call whose target has a deadline, and keeps the
/// earlier of its own and one already bound, so a deadline travels with the call to downstream
/// invocations: the HTTP transport sends the time left to the callee, whose server binds it again.
///
/// ```swift
/// try await MeshDeadline.$current.withValue(.now + .seconds(2)) {
///     try await mesh.invoke(appID: "product-service", method: "products/42")
/// }
/// ```
public enum MeshDeadline {
    /// The deadline of the current call, if any.
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// The time left before ``current``, or `nil` without a deadline. Reads the clock only when
    /// there is a deadline.
    public static func remaining() -> Duration? {
        guard let current else { return nil }
        return ContinuousClock.now.duration(to: current)
    }

    /// The time from `now` to ``current``, or `nil` without a deadline.
    public static func remaining(now: ContinuousClock.Instant) -> Duration? {
        current.map { now.duration(to: $0) }
    }

    /// The earlier of ``current`` and now + `timeout`.
    static func tightened(by timeout: Duration?) -> ContinuousClock.Instant? {
        guard let timeout else { return current }
        let own = ContinuousClock.now + timeout
        guard let current else { return own }
        return min(current, own)
    }
}
