import NIOCore

/// Sits right after the TLS handler and hands it what one flush wrote as one buffer, so a
/// response's head and body go out as one TLS record instead of one record each: the TLS
/// handler seals every write it is given separately, and every record costs the server a seal
/// and the client a read and an open.
///
/// Writes are merged only while they fit in one record (16 KB); a larger response, or a file
/// region, goes on as it was written.
final class TLSWriteCoalescer: ChannelOutboundHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// The most plaintext one TLS record carries (RFC 8446 §5.1).
    static let recordCapacity = 16 * 1024

    private var pending: [(data: IOData, promise: EventLoopPromise<Void>?)] = []
    private var pendingBytes = 0

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let data = unwrapOutboundIn(data)
        pending.append((data, promise))
        pendingBytes += data.readableBytes
    }

    func flush(context: ChannelHandlerContext) {
        defer {
            pending.removeAll(keepingCapacity: true)
            pendingBytes = 0
        }
        if pending.count > 1, pendingBytes <= Self.recordCapacity, let merged = merged(allocator: context.channel.allocator) {
            let promises = pending.compactMap(\.promise)
            let promise: EventLoopPromise<Void>? = promises.isEmpty ? nil : context.eventLoop.makePromise()
            if let promise {
                promise.futureResult.whenComplete { result in
                    for waiting in promises { waiting.completeWith(result) }
                }
            }
            context.write(wrapOutboundOut(.byteBuffer(merged)), promise: promise)
        } else {
            for (data, promise) in pending { context.write(wrapOutboundOut(data), promise: promise) }
        }
        context.flush()
    }

    /// The pending writes in one buffer; `nil` when one of them is a file region.
    private func merged(allocator: ByteBufferAllocator) -> ByteBuffer? {
        var buffer = allocator.buffer(capacity: pendingBytes)
        for (data, _) in pending {
            guard case .byteBuffer(let part) = data else { return nil }
            buffer.writeImmutableBuffer(part)
        }
        return buffer
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Writes never flushed go on before the close, in order, as the TLS handler would have had them.
        for (data, pendingPromise) in pending { context.write(wrapOutboundOut(data), promise: pendingPromise) }
        pending.removeAll()
        pendingBytes = 0
        context.close(mode: mode, promise: promise)
    }
}
