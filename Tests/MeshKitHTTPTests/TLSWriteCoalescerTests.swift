import NIOCore
import NIOEmbedded
import Testing

@testable import MeshKitHTTP

/// What reaches the TLS handler from ``TLSWriteCoalescer``: each buffer it gets is sealed as a
/// record of its own.
@Suite struct TLSWriteCoalescerTests {
    private func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(TLSWriteCoalescer())
        return channel
    }

    private func buffer(_ string: String) -> IOData { .byteBuffer(ByteBuffer(string: string)) }

    /// The buffers written to the channel's socket side, in order.
    private func written(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let bytes) = part else { Issue.record("a file region came out"); continue }
            parts.append(String(buffer: bytes))
        }
        return parts
    }

    @Test("a response's head, body and empty end, flushed together, reach the TLS handler as one buffer, and every write's promise completes")
    func mergesOneFlush() throws {
        let channel = try channel()
        let promises = (0..<3).map { _ in channel.eventLoop.makePromise(of: Void.self) }
        channel.write(buffer("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n"), promise: promises[0])
        channel.write(buffer("pong"), promise: promises[1])
        channel.write(buffer(""), promise: promises[2])
        #expect(try written(channel).isEmpty)
        channel.flush()
        #expect(try written(channel) == ["HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\npong"])
        for promise in promises { try promise.futureResult.wait() }
        #expect(try channel.finish().isClean)
    }

    @Test("writes that would not fit in one TLS record go on as they were written, in order")
    func keepsLargeWritesApart() throws {
        let channel = try channel()
        let large = String(repeating: "x", count: TLSWriteCoalescer.recordCapacity)
        channel.write(buffer("head"), promise: nil)
        channel.write(buffer(large), promise: nil)
        channel.flush()
        #expect(try written(channel) == ["head", large])
        #expect(try channel.finish().isClean)
    }

    @Test("each flush is merged on its own: two responses flushed apart are two buffers")
    func flushesApart() throws {
        let channel = try channel()
        channel.write(buffer("a1"), promise: nil)
        channel.write(buffer("a2"), promise: nil)
        channel.flush()
        channel.write(buffer("b1"), promise: nil)
        channel.flush()
        #expect(try written(channel) == ["a1a2", "b1"])
        #expect(try channel.finish().isClean)
    }

    @Test("a failed merged write fails the promise of every write in it")
    func failurePropagates() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([RefusingWrites(), TLSWriteCoalescer()])
        let promises = (0..<2).map { _ in channel.eventLoop.makePromise(of: Void.self) }
        channel.write(buffer("head"), promise: promises[0])
        channel.write(buffer("body"), promise: promises[1])
        channel.flush()
        for promise in promises { #expect(throws: RefusingWrites.Refused.self) { try promise.futureResult.wait() } }
    }
}

/// Stands for a TLS handler whose connection broke: fails every write.
private final class RefusingWrites: ChannelOutboundHandler {
    typealias OutboundIn = IOData
    struct Refused: Error {}

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        promise?.fail(Refused())
    }
}
