import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTestSupport
import MeshKitTesting
import Testing

/// Asserts that `error` is the response-too-large failure a caller relies on.
private func expectTooLarge(_ error: MeshError?, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(error?.code == .resourceExhausted, sourceLocation: sourceLocation)
    #expect(error?.httpTransportError?.code == .responseTooLarge, sourceLocation: sourceLocation)
    #expect(error?.httpTransportError?.isSafeToRetry == false, sourceLocation: sourceLocation)
}

@Suite("the maximum response body size")
struct HTTPResponseSizeTests {
    @Test("the default limit is 16 MiB")
    func defaultLimit() {
        #expect(HTTPInvocationTransport.Configuration().maxResponseBodySize == 16 * 1024 * 1024)
    }

    @Test("nginx serving a file over the limit fails the call; a file at the limit comes back whole")
    func fileOverTheLimit() async throws {
        let limit = 1024 * 1024
        let files = ["large.bin": Data(repeating: 7, count: limit + 1), "exact.bin": Data(repeating: 8, count: limit)]
        try await HTTPNginxServer.withServer(files: files) { nginx in
            let transport = try Peers.transport(to: nginx.port, .init(attemptTimeout: .seconds(10), maxResponseBodySize: limit))
            let large = InvocationRequest(appID: "peer", method: "large.bin", httpMethod: .get)
            expectTooLarge(await #expect(throws: MeshError.self) { try await transport.invoke(large) })
            let exact = try await transport.invoke(InvocationRequest(appID: "peer", method: "exact.bin", httpMethod: .get))
            #expect(exact.body.count == limit)
            let head = try await transport.invoke(InvocationRequest(appID: "peer", method: "large.bin", httpMethod: .head))
            #expect(head.status == .ok, "a HEAD's Content-Length announces no body to receive")
            await transport.shutdown()
        }
    }

    @Test("a chunked body without a declared length is cut off once it outgrows the limit")
    func chunkedBodyOverTheLimit() async throws {
        let chunk = String(repeating: "x", count: 4096)
        let peer = try FaultServer(
            .raw(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n\(chunk)\r\n1000\r\n\(chunk)\r\n0\r\n\r\n"])
        )
        defer { peer.stop() }
        let transport = try Peers.transport(to: peer.port, .init(attemptTimeout: .seconds(5), maxResponseBodySize: 6000))
        expectTooLarge(await #expect(throws: MeshError.self) { try await transport.invoke(Peers.get) })
        await transport.shutdown()
    }
}
