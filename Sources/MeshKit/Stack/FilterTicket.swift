/// What a filter the stack runs inline (``SynchronousCallFilter``, ``ChangingCallFilter``)
/// carries from before a call to after it: a number and a flag, which each filter reads in its
/// own way (a start time, a breaker's permit, a route's destination). A plain value, so that
/// carrying it costs nothing.
@usableFromInline
struct FilterTicket: Sendable {
    /// A number of the filter's: a time in nanoseconds, a generation, an index.
    @usableFromInline var number: Int64 = 0
    /// A flag of the filter's.
    @usableFromInline var flag = false

    /// Nothing to carry.
    @usableFromInline static let none = FilterTicket()
}
