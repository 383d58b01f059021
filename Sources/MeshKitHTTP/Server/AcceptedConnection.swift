import NIOCore
import NIOHTTP1

/// A connection the listener accepted, with its HTTP pipeline in place but not yet reading:
/// what the listener's inbound stream hands to ``MeshHTTPServer/run()``.
///
/// It becomes a `NIOAsyncChannel` only in the task that serves it (``wrap()``). NIO's stream of
/// accepted connections drops the ones it still holds when the listener closes or the accepting
/// task is cancelled (swift-nio issues 2637 and 2813), and a dropped `NIOAsyncChannel` whose
/// writer was never finished traps the process; a dropped `AcceptedConnection` only closes its
/// channel.
final class AcceptedConnection: Sendable {
    let channel: any Channel
    /// The other end: its address and, over mTLS, its identity.
    let peer: ConnectionPeer

    /// Takes over `channel`, whose reads must be off (`autoRead` false) until ``wrap()``.
    init(_ channel: any Channel, peer: ConnectionPeer) {
        self.channel = channel
        self.peer = peer
    }

    deinit {
        channel.close(promise: nil)
    }

    /// The connection as a `NIOAsyncChannel`, reading from now on, with NIO's inbound
    /// backpressure: NIO stops reading from the socket while more than 10 request parts wait
    /// for the serving task. Throws if the connection has closed meanwhile.
    func wrap() async throws -> HTTPConnection.Channel {
        let channel = self.channel
        return try await channel.eventLoop.submit {
            try channel.syncOptions?.setOption(.autoRead, value: true)
            return try HTTPConnection.Channel(
                wrappingChannelSynchronously: channel,
                configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 10))
            )
        }.get()
    }
}
