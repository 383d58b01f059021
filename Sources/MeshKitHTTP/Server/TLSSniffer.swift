import NIOCore

/// PERMISSIVE mode: looks at the first byte a client sends. 0x16 is the content type of a TLS
/// handshake record (RFC 8446 §5.1), which starts every ClientHello and no HTTP request, so
/// the TLS handlers go in after this one; otherwise the connection stays plaintext. Either
/// way the byte is passed on and this handler leaves the pipeline.
final class TLSSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let makeTLSHandlers: () throws -> [any ChannelHandler]

    init(makeTLSHandlers: @escaping () throws -> [any ChannelHandler]) {
        self.makeTLSHandlers = makeTLSHandlers
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        if first == 0x16 {
            do {
                try context.pipeline.syncOperations.addHandlers(try makeTLSHandlers(), position: .after(self))
            } catch {
                context.fireErrorCaught(error)
                context.close(promise: nil)
                return
            }
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
