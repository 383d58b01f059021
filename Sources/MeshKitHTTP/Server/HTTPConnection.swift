import Logging
import MeshKit
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Answers the requests of one accepted connection, in order, in the task that serves it.
///
/// Each request is read whole (the ``HTTPConnectionGuard`` in the channel bounds its size and
/// time), then answered; the next one is read only after the response is written, so pipelined
/// requests are answered in order and nothing more is read while a handler runs. An invocation
/// first takes one of the server's ``RequestPermits``.
///
/// The handler in flight is cancelled when the connection closes: when the client goes away, a
/// timer of the guard fires, or the serving task is cancelled (which closes the connection). A
/// graceful shutdown closes an idle connection at once and a busy one after its response.
struct HTTPConnection: Sendable {
    typealias Channel = NIOAsyncChannel<HTTPServerRequestPart, HTTPPart<HTTPResponseHead, ByteBuffer>>

    let responder: InvocationResponder
    let permits: RequestPermits
    let logger: Logger

    /// Serves `accepted` until it closes.
    func serve(_ accepted: AcceptedConnection) async {
        let channel = accepted.channel
        await withGracefulShutdownHandler {
            do {
                let connection = try await accepted.wrap()
                try await connection.executeThenClose { inbound, outbound in
                    await withDiscardingTaskGroup { requests in
                        requests.addTask {
                            await withTaskCancellationHandler {
                                do {
                                    try await answerRequests(from: inbound, to: outbound, on: channel, peer: accepted.peer)
                                } catch {
                                    logger.trace("a connection ended", metadata: ["error": "\(error)"])
                                }
                            } onCancel: {
                                channel.close(promise: nil)
                            }
                            channel.close(promise: nil)
                        }
                        // However the connection closes, the handler in flight is cancelled.
                        try? await channel.closeFuture.get()
                        requests.cancelAll()
                    }
                }
            } catch {
                logger.trace("a connection did not close cleanly", metadata: ["error": "\(error)"])
            }
        } onGracefulShutdown: {
            // NIO's HTTPServerPipelineHandler closes an idle connection now, a busy one after its response.
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    private func answerRequests(
        from inbound: NIOAsyncChannelInboundStream<HTTPServerRequestPart>,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPPart<HTTPResponseHead, ByteBuffer>>,
        on channel: any NIOCore.Channel,
        peer: ConnectionPeer
    ) async throws {
        var parts = inbound.makeAsyncIterator()
        while let part = try await parts.next() {
            guard case .head(let head) = part else { continue }
            guard let body = try await Self.readBody(from: &parts) else { return }
            let response: InvocationResponse
            switch responder.route(head, body: body, peer: peer) {
            case .answer(let answer):
                response = answer
            case .invoke(let request, let deadline):
                try await permits.acquire()
                response = await responder.invoke(request, deadline: deadline)
                permits.release()
            }
            try await outbound.write(contentsOf: response.httpParts(answering: head, allocator: channel.allocator))
            if !head.isKeepAlive {
                // The guard closes the connection once the response is written.
                try await channel.closeFuture.get()
                return
            }
        }
    }

    /// The body of the request whose head was just read, up to its end; nil if the connection
    /// ended first.
    private static func readBody(from parts: inout NIOAsyncChannelInboundStream<HTTPServerRequestPart>.AsyncIterator) async throws
        -> ByteBuffer?
    {
        var body = ByteBuffer()
        while let part = try await parts.next() {
            switch part {
            case .body(var chunk):
                if body.readableBytes == 0 {
                    body = chunk
                } else {
                    body.writeBuffer(&chunk)
                }
            case .end:
                return body
            case .head:
                return nil
            }
        }
        return nil
    }
}
