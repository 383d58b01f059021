import MeshKit
import NIOCore
import NIOHTTP1

extension InvocationResponse {
    /// The HTTP/1 parts that answer `request` with this response: hop-by-hop headers dropped,
    /// `content-length` set, `connection: close` when the request does not keep the connection
    /// alive (`keep-alive` when an HTTP/1.0 request does), and no body for `HEAD`.
    func httpParts(answering request: HTTPRequestHead, allocator: ByteBufferAllocator) -> [HTTPPart<HTTPResponseHead, ByteBuffer>] {
        var headers = HTTPHeaders()
        for field in self.headers where !InvocationResponder.hopByHop.contains(field.name.canonicalName) {
            headers.add(name: field.name.rawName, value: field.value)
        }
        headers.replaceOrAdd(name: "content-length", value: String(body.count))
        if !request.isKeepAlive {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if request.version.major == 1 && request.version.minor == 0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")  // HTTP/1.0 closes unless told
        }
        let status = HTTPResponseStatus(statusCode: status.code, reasonPhrase: status.reasonPhrase)
        let head = HTTPPart<HTTPResponseHead, ByteBuffer>.head(HTTPResponseHead(version: request.version, status: status, headers: headers))
        guard request.method != .HEAD, !body.isEmpty else { return [head, .end(nil)] }
        return [head, .body(allocator.buffer(bytes: body)), .end(nil)]
    }
}
