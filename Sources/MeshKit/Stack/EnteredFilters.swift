/// The synchronous filters one step of ``CallStack/run(_:_:)`` has entered and must exit, in the
/// order they were entered, with their tickets: room for a few, kept on the step's frame rather
/// than in one frame per filter.
@usableFromInline
struct EnteredFilters: Sendable {
    /// How many filters fit; a longer run of synchronous filters continues in a further step.
    @usableFromInline static let capacity = 4

    /// A filter's index in the stack and its ticket.
    @usableFromInline struct Slot: Sendable {
        @usableFromInline var index: Int
        @usableFromInline var ticket: FilterTicket
    }

    private var slots = (Slot.unused, Slot.unused, Slot.unused, Slot.unused)
    /// How many filters were entered.
    @usableFromInline private(set) var count = 0

    /// No filter entered yet.
    @usableFromInline init() {}

    /// Whether another filter fits.
    @usableFromInline var hasRoom: Bool { count < Self.capacity }

    /// Records that the filter at `index` was entered with `ticket`; there must be room.
    @usableFromInline mutating func append(_ index: Int, _ ticket: FilterTicket) {
        let slot = Slot(index: index, ticket: ticket)
        switch count {
        case 0: slots.0 = slot
        case 1: slots.1 = slot
        case 2: slots.2 = slot
        default: slots.3 = slot
        }
        count += 1
    }

    /// Calls `body` with each filter entered, the last entered first.
    @inlinable func innermostFirst(_ body: (Slot) -> Void) {
        var position = count
        while position > 0 {
            position -= 1
            body(self[position])
        }
    }

    /// The filter entered `position`th, from 0.
    @usableFromInline subscript(position: Int) -> Slot {
        switch position {
        case 0: slots.0
        case 1: slots.1
        case 2: slots.2
        default: slots.3
        }
    }
}

extension EnteredFilters.Slot {
    @usableFromInline static let unused = EnteredFilters.Slot(index: 0, ticket: .none)
}
