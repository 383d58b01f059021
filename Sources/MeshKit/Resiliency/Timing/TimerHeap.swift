/// The pending timers of an ``AttemptTimer``: a binary min-heap over reusable slots, so that
/// scheduling and cancelling a timer allocate nothing once the arrays have grown, and a cancelled
/// timer leaves the heap at once rather than when it would have fired.
struct TimerHeap<Payload> {
    /// Names one scheduled timer; a slot is reused, so the generation tells timers apart.
    struct Ticket: Sendable, Equatable {
        fileprivate let slot: Int
        fileprivate let generation: UInt32
    }

    private struct Slot {
        var deadline: ContinuousClock.Instant
        var payload: Payload?
        var heapIndex: Int
        var generation: UInt32
    }

    private var slots: [Slot] = []
    private var freeSlots: [Int] = []
    private var heap: [Int] = []

    /// The earliest deadline, if any timer is pending.
    var earliest: ContinuousClock.Instant? { heap.first.map { slots[$0].deadline } }

    var isEmpty: Bool { heap.isEmpty }

    /// Adds a timer.
    mutating func insert(_ payload: Payload, at deadline: ContinuousClock.Instant) -> Ticket {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot].deadline = deadline
            slots[slot].payload = payload
            slots[slot].generation &+= 1
        } else {
            slot = slots.count
            slots.append(Slot(deadline: deadline, payload: payload, heapIndex: 0, generation: 0))
        }
        slots[slot].heapIndex = heap.count
        heap.append(slot)
        siftUp(heap.count - 1)
        return Ticket(slot: slot, generation: slots[slot].generation)
    }

    /// Removes a pending timer; `false` when it is no longer pending (it fired).
    mutating func remove(_ ticket: Ticket) -> Bool {
        guard slots[ticket.slot].generation == ticket.generation, slots[ticket.slot].payload != nil else { return false }
        removeFromHeap(at: slots[ticket.slot].heapIndex)
        release(ticket.slot)
        return true
    }

    /// Removes and returns the earliest timer if it is due at `now`.
    mutating func popDue(at now: ContinuousClock.Instant) -> Payload? {
        guard let top = heap.first, slots[top].deadline <= now else { return nil }
        let payload = slots[top].payload
        removeFromHeap(at: 0)
        release(top)
        return payload
    }

    private mutating func release(_ slot: Int) {
        slots[slot].payload = nil
        freeSlots.append(slot)
    }

    private mutating func removeFromHeap(at index: Int) {
        let last = heap.count - 1
        if index != last {
            heap.swapAt(index, last)
            slots[heap[index]].heapIndex = index
        }
        heap.removeLast()
        if index < heap.count {
            siftDown(index)
            siftUp(index)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var index = start
        while index > 0 {
            let parent = (index - 1) / 2
            guard slots[heap[index]].deadline < slots[heap[parent]].deadline else { return }
            swap(index, parent)
            index = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var index = start
        while true {
            let left = 2 * index + 1
            guard left < heap.count else { return }
            let right = left + 1
            var smallest = index
            if slots[heap[left]].deadline < slots[heap[smallest]].deadline { smallest = left }
            if right < heap.count, slots[heap[right]].deadline < slots[heap[smallest]].deadline { smallest = right }
            guard smallest != index else { return }
            swap(index, smallest)
            index = smallest
        }
    }

    private mutating func swap(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        slots[heap[a]].heapIndex = a
        slots[heap[b]].heapIndex = b
    }
}
