import NIOCore
import Synchronization

/// The open connections of a server, so that a shutdown can quiesce or close them.
final class ConnectionTracker: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: id) }
        }
    }

    /// Asks every connection to close after its response in flight; idle ones close at once.
    func quiesceAll() {
        for channel in snapshot() {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Closes every connection now.
    func closeAll() {
        for channel in snapshot() { channel.close(promise: nil) }
    }

    /// Waits until every connection has closed; cancelling the task closes them.
    func waitForAll() async {
        await withTaskCancellationHandler {
            for channel in snapshot() {
                try? await channel.closeFuture.get()
            }
        } onCancel: {
            closeAll()
        }
    }

    private func snapshot() -> [any Channel] {
        channels.withLock { Array($0.values) }
    }
}
