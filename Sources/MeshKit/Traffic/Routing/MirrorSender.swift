import Synchronization

/// Sends copies of calls, as a VirtualService `mirror` asks, without the caller waiting and
/// without their answers going anywhere: the copies are sent by ``Mesh/run()``, while the mesh
/// runs. A mirror must never hold up real traffic, so at most ``capacity`` copies wait and at most
/// ``capacity`` are in flight; past that, copies are dropped.
final class MirrorSender: Sendable {
    /// A copy on its way.
    struct Copy: Sendable {
        let request: InvocationRequest
        let destination: Destination
    }

    /// The most copies waiting, and the most in flight.
    let capacity: Int
    let copies: AsyncStream<Copy>
    private let input: AsyncStream<Copy>.Continuation
    private let inFlight = Atomic<Int>(0)

    init(capacity: Int = 256) {
        self.capacity = capacity
        (copies, input) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Queues a copy of `request` for `destination`.
    func send(_ request: InvocationRequest, to destination: Destination) {
        var copy = request
        copy.appID = destination.host
        copy.headers[.daprCalleeAppID] = destination.host
        input.yield(Copy(request: copy, destination: destination))
    }

    /// Takes a slot for one copy in flight; `false` when all are taken.
    func tryBeginSending() -> Bool {
        var current = inFlight.load(ordering: .relaxed)
        while current < capacity {
            let (exchanged, original) = inFlight.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives back the slot of a copy that was sent.
    func endSending() {
        inFlight.subtract(1, ordering: .relaxed)
    }

    /// Stops taking copies; the ones waiting are still sent.
    func finish() {
        input.finish()
    }
}
