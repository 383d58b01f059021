import Foundation
import HTTPTypes
import MeshKit
import NIOCore
import NIOHTTP1

/// Answers the requests of one connection: Dapr's invocation path goes to
/// `mesh.handleInvocation`, `GET /v1.0/healthz` answers 204, and the limits of
/// ``MeshHTTPServer/Configuration`` are enforced.
///
/// It sits behind NIO's `HTTPServerPipelineHandler`, which hands it one request at a time even
/// when a client pipelines, so at most one request per connection is in flight.
final class MeshHTTPRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    struct Limits {
        var maxBodySize: Int
        var maxHeaderSize: Int
        var headerTimeout: TimeAmount
        var idleTimeout: TimeAmount
    }

    private enum State {
        /// Waiting for a request head.
        case idle
        /// Reading a request's body.
        case receiving(HTTPRequestHead, ByteBuffer)
        /// The request is being answered.
        case responding
        /// The request was rejected; the connection closes after the response.
        case rejected
    }

    private let mesh: Mesh
    private let limits: Limits
    private var state = State.idle
    private var timer: Scheduled<Void>?

    init(mesh: Mesh, limits: Limits) {
        self.mesh = mesh
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armTimer(context: context, after: limits.headerTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armTimer(context: context, after: limits.headerTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            timer?.cancel()
            timer = nil
            let headerSize = head.headers.reduce(head.uri.utf8.count) { $0 + $1.name.utf8.count + $1.value.utf8.count }
            if headerSize > limits.maxHeaderSize {
                reject(
                    context: context,
                    version: head.version,
                    status: .requestHeaderFieldsTooLarge,
                    "the request headers exceed \(limits.maxHeaderSize) bytes"
                )
                return
            }
            let lengths = head.headers["content-length"]
            if let declared = lengths.first, lengths.count == 1, let length = Int(declared), length >= 0 {
                if length > limits.maxBodySize {
                    reject(
                        context: context,
                        version: head.version,
                        status: .payloadTooLarge,
                        "the request body exceeds \(limits.maxBodySize) bytes"
                    )
                    return
                }
            } else if !lengths.isEmpty {
                reject(context: context, version: head.version, status: .badRequest, "the content-length header is malformed")
                return
            }
            state = .receiving(head, context.channel.allocator.buffer(capacity: 0))
        case .body(var chunk):
            guard case .receiving(let head, var body) = state else { return }
            if body.readableBytes + chunk.readableBytes > limits.maxBodySize {
                reject(
                    context: context,
                    version: head.version,
                    status: .payloadTooLarge,
                    "the request body exceeds \(limits.maxBodySize) bytes"
                )
                return
            }
            state = .responding  // drop the reference so the append does not copy the buffer
            body.writeBuffer(&chunk)
            state = .receiving(head, body)
        case .end:
            guard case .receiving(let head, let body) = state else { return }
            state = .responding
            dispatch(context: context, head: head, body: body)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A parser error is fatal for the connection: answer it if no response has started,
        // then close. The decoder closes the channel right after this returns.
        if let parserError = error as? HTTPParserError {
            switch state {
            case .idle, .receiving:
                let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
                reject(context: context, version: .http1_1, status: status, "the request is malformed: \(parserError)")
            case .responding, .rejected:
                context.close(promise: nil)
            }
            return
        }
        context.close(promise: nil)
    }

    // MARK: Answering

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        switch InvocationPath(target: head.uri) {
        case .health:
            let status: HTTPResponse.Status = head.method == .GET || head.method == .HEAD ? .noContent : .methodNotAllowed
            write(context: context, head: head, response: InvocationResponse(status: status))
        case .unknown:
            write(
                context: context,
                head: head,
                response: .text(
                    "no route for '\(head.uri)'; MeshKit answers /v1.0/invoke/{appId}/method/{method} and /v1.0/healthz",
                    status: .notFound
                )
            )
        case .invoke(let appID, let method):
            guard Self.addresses(appID, mesh: mesh) else {
                let message = "app ID '\(appID)' is not served here; this server serves '\(mesh.appID)'"
                write(context: context, head: head, response: .text(message, status: .notFound))
                return
            }
            let request = InvocationRequest(
                appID: mesh.appID,
                method: method,
                httpMethod: HTTPRequest.Method(head.method.rawValue) ?? .get,
                headers: Self.fields(head.headers),
                query: InvocationPath.queryItems(target: head.uri),
                body: body.withUnsafeReadableBytes { Data($0) }
            )
            let mesh = self.mesh
            let deadline = head.headers.first(name: "x-meshkit-deadline").flatMap(DeadlineHeader.remaining).map { ContinuousClock.now + $0 }
            let promise = context.eventLoop.makePromise(of: InvocationResponse.self)
            promise.completeWithTask {
                // The caller's deadline travels on to the calls this handler makes.
                await MeshDeadline.$current.withValue(deadline ?? MeshDeadline.current) { await mesh.handleInvocation(request) }
            }
            promise.futureResult.assumeIsolated().whenSuccess { response in
                self.write(context: context, head: head, response: response)
            }
        }
    }

    /// Whether a path's app ID names this mesh: `app` or, with a namespace, `app.namespace`.
    private static func addresses(_ appID: String, mesh: Mesh) -> Bool {
        if appID == mesh.appID { return true }
        if let namespace = mesh.namespace { return appID == "\(mesh.appID).\(namespace)" }
        return false
    }

    private func write(context: ChannelHandlerContext, head: HTTPRequestHead, response: InvocationResponse) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        for field in response.headers where !Self.hopByHop.contains(field.name.canonicalName) {
            headers.add(name: field.name.rawName, value: field.value)
        }
        headers.replaceOrAdd(name: "content-length", value: String(response.body.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.status.reasonPhrase)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD && !response.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        state = .idle
        if keepAlive {
            armTimer(context: context, after: limits.idleTimeout)
        } else {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Answers with an error status and closes the connection once the answer is written.
    private func reject(context: ChannelHandlerContext, version: HTTPVersion, status: HTTPResponseStatus, _ message: String) {
        state = .rejected
        timer?.cancel()
        timer = nil
        let body = Array(message.utf8)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Closes the connection unless a request head arrives within `delay`.
    private func armTimer(context: ChannelHandlerContext, after delay: TimeAmount) {
        timer?.cancel()
        let loopBound = context.loopBound
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            loopBound.value.close(promise: nil)
        }
    }

    private static let hopByHop: Set<String> = ["connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"]

    private static func fields(_ headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name), !hopByHop.contains(fieldName.canonicalName) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }
}
