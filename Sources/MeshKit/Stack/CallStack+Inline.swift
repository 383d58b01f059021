extension CallStack {
    /// Enters, for `call`, every filter that does not pass it through, when each of those runs
    /// inline (``SynchronousCallFilter``) and they fit in one step of ``run(_:_:)``: the caller
    /// then runs the call itself, with no async frame of the stack around it, and hands its
    /// outcome to ``exitInline(_:_:returning:)`` or ``exit(_:_:throwing:)``. `nil`, having
    /// entered none, when some filter must run through ``run(_:_:)`` (it waits, changes the call
    /// or retries). Throws what a filter's `enter` threw, once those entered before it have
    /// seen the error.
    func enterInline<Result: Sendable>(_ call: MeshCall<Result>) throws -> EnteredFilters? {
        var inline = 0
        for entry in entries where !entry.filter.passesThrough(call) {
            guard entry.isSynchronous else { return nil }
            inline += 1
        }
        guard inline <= EnteredFilters.capacity else { return nil }
        var entered = EnteredFilters()
        for index in entries.indices where !entries[index].filter.passesThrough(call) {
            guard case .synchronous(let filter) = entries[index].shape else { continue }
            do {
                entered.append(index, try filter.enter(call))
            } catch {
                exit(entered, call, throwing: error)
                throw error
            }
        }
        return entered
    }

    /// Tells the `entered` filters, innermost first, what the call returned.
    @inlinable func exitInline<Result: Sendable>(_ entered: EnteredFilters, _ call: MeshCall<Result>, returning result: Result) {
        entered.innermostFirst { slot in
            if case .synchronous(let filter) = entries[slot.index].shape { filter.exit(slot.ticket, call, returning: result) }
        }
    }
}
