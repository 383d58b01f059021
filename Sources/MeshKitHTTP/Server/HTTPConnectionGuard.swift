import NIOCore
import NIOHTTP1

/// Enforces the limits of ``MeshHTTPServer/Configuration`` on one connection, on its event
/// loop, before a request reaches the connection's task:
///
/// - headers over the size limit answer 431, a declared or streamed body over the size limit
///   413, a malformed request or an HTTP/1.1 request without exactly one `Host` header 400;
///   each rejection closes the connection once its answer is written;
/// - a client that does not send a request head within the header timeout (from the start of
///   the connection) or the idle timeout (after a response) is disconnected, and one that does
///   not finish a body within the body timeout gets 408;
/// - a response marked `connection: close` closes the connection once it is written;
/// - a request that passes these checks and carries `Expect: 100-continue` gets `100 Continue`
///   at once, so the client sends its body without waiting.
///
/// It also hands the response parts of the connection's task (`ByteBuffer` bodies) to NIO's
/// encoder. It sits behind NIO's `HTTPServerPipelineHandler`, which passes one request at a time
/// even when a client pipelines.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPPart<HTTPResponseHead, ByteBuffer>
    typealias OutboundOut = HTTPServerResponsePart

    struct Limits {
        var maxBodySize: Int
        var maxHeaderSize: Int
        var headerTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var bodyTimeout: TimeAmount
    }

    private enum State {
        /// Waiting for a request head.
        case awaitingHead
        /// Passing on the body of a request of `version`, of which `received` bytes came so far.
        case receivingBody(received: Int, version: HTTPVersion)
        /// The request is complete; its response has not ended yet.
        case awaitingResponse
        /// A request was rejected; the connection closes once the rejection is written.
        case rejected
    }

    private let limits: Limits
    private var state = State.awaitingHead
    private var closesAfterResponse = false
    private var timer: Scheduled<Void>?

    init(limits: Limits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { disconnect(context: context, unlessHeadWithin: limits.headerTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        disconnect(context: context, unlessHeadWithin: limits.headerTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            guard case .awaitingHead = state else { return }
            cancelTimer()
            if let (status, reason) = rejection(of: head) {
                reject(context: context, version: head.version, status: status, reason)
                return
            }
            closesAfterResponse = !head.isKeepAlive
            state = .receivingBody(received: 0, version: head.version)
            if Self.hasBody(head) { armBodyTimer(context: context, version: head.version) }
            if Self.expectsContinue(head) {
                // RFC 9110 §10.1.1: the client waits for this before it sends the body (curl
                // for up to a second), and gets it only once the head passed the checks above.
                let interim = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
        case .body(let chunk):
            guard case .receivingBody(let received, let version) = state else { return }
            let total = received + chunk.readableBytes
            if total > limits.maxBodySize {
                reject(context: context, version: version, status: .payloadTooLarge, "the request body exceeds \(limits.maxBodySize) bytes")
                return
            }
            state = .receivingBody(received: total, version: version)
        case .end:
            guard case .receivingBody = state else { return }
            cancelTimer()
            state = .awaitingResponse
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A parser error is fatal for the connection: answer it unless a request is being
        // answered, then close. Other errors close the connection.
        guard let parserError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        switch state {
        case .awaitingHead, .receivingBody:
            let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
            reject(context: context, version: .http1_1, status: status, "the request is malformed: \(parserError)")
        case .awaitingResponse, .rejected:
            context.close(promise: nil)
        }
    }

    /// Why a request head is refused, if it is.
    private func rejection(of head: HTTPRequestHead) -> (HTTPResponseStatus, String)? {
        var headerSize = head.uri.utf8.count
        var hosts = 0
        for (name, value) in head.headers {
            headerSize += name.utf8.count + value.utf8.count
            if Self.isHost(name) { hosts += 1 }
        }
        if headerSize > limits.maxHeaderSize {
            return (.requestHeaderFieldsTooLarge, "the request headers exceed \(limits.maxHeaderSize) bytes")
        }
        // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host header; HTTP/1.0 may omit it.
        if hosts > 1 || (hosts == 0 && head.version != .http1_0 && head.version != .http0_9) {
            return (.badRequest, "an HTTP/1.1 request must have exactly one Host header")
        }
        let lengths = head.headers["content-length"]
        guard !lengths.isEmpty else { return nil }
        guard lengths.count == 1, let length = Int(lengths[0]), length >= 0 else {
            return (.badRequest, "the content-length header is malformed")
        }
        return length > limits.maxBodySize ? (.payloadTooLarge, "the request body exceeds \(limits.maxBodySize) bytes") : nil
    }

    /// Whether a header name is `Host`, in any case, without allocating.
    private static func isHost(_ name: String) -> Bool {
        name.utf8.count == 4 && zip(name.utf8, "host".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// Whether an HTTP/1.1 request waits for `100 Continue` before it sends its body.
    private static func expectsContinue(_ head: HTTPRequestHead) -> Bool {
        head.version == .http1_1 && head.headers["expect"].contains { $0.lowercased() == "100-continue" }
    }

    private static func hasBody(_ head: HTTPRequestHead) -> Bool {
        if head.headers.contains(name: "transfer-encoding") { return true }
        return head.headers.first(name: "content-length").flatMap { Int($0) }.map { $0 > 0 } ?? false
    }

    // MARK: Responses

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if !head.isKeepAlive { closesAfterResponse = true }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body(let buffer):
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: promise)
        case .end(let trailers):
            state = .awaitingHead
            guard closesAfterResponse else {
                // Armed first: writing the end may pass on a pipelined request head at once.
                disconnect(context: context, unlessHeadWithin: limits.idleTimeout)
                context.write(wrapOutboundOut(.end(trailers)), promise: promise)
                return
            }
            let written = context.write(wrapOutboundOut(.end(trailers)))
            written.cascade(to: promise)
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Answers with an error status and closes the connection once the answer is written.
    private func reject(context: ChannelHandlerContext, version: HTTPVersion, status: HTTPResponseStatus, _ message: String) {
        state = .rejected
        cancelTimer()
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(message.utf8.count))
        headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: message)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    // MARK: Timers

    /// Closes the connection unless a request head arrives within `delay`.
    private func disconnect(context: ChannelHandlerContext, unlessHeadWithin delay: TimeAmount) {
        cancelTimer()
        let loopBound = context.loopBound
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            loopBound.value.close(promise: nil)
        }
    }

    /// Answers 408 unless the request body ends within the body timeout.
    private func armBodyTimer(context: ChannelHandlerContext, version: HTTPVersion) {
        cancelTimer()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let seconds = Double(limits.bodyTimeout.nanoseconds) / 1e9
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: limits.bodyTimeout) {
            let (handler, context) = loopBound.value
            handler.reject(
                context: context,
                version: version,
                status: .requestTimeout,
                "the request body did not arrive within \(seconds)s"
            )
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
