import Foundation
import HTTPTypes
import MeshKit
import Testing

@testable import MeshKitHTTP

@Suite struct ResponseHeaderParsingTests {
    @Test("a received header block becomes fields in order; the status line, folded and malformed lines are skipped")
    func parsesHeaderBlock() {
        let block =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Empty:\r\n folded continuation\r\nnot a header\r\nX-Spaced :  v  w  \r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"
        let fields = CurlResponse(status: 200, rawHeaders: Array(block.utf8), body: Data()).headerFields
        #expect(fields.map(\.name.canonicalName) == ["content-type", "x-empty", "x-spaced", "set-cookie", "set-cookie"])
        #expect(fields.map(\.value) == ["text/plain", "", "v  w", "a=1", "b=2"])
    }

    @Test("an interim 100 Continue's headers are dropped; the final response's come back")
    func interimResponseIsDropped() async throws {
        let server = try FaultServer(
            .raw(["HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 201 Created\r\nX-Final: 2\r\nContent-Length: 4\r\n\r\ndone"])
        )
        defer { server.stop() }
        let (mesh, _) = try await Peers.caller(endpoints: ["raw": [Endpoint(host: "127.0.0.1", port: server.port, style: .direct)]])
        let response = try await mesh.invoke(appID: "raw", method: "anything", body: Data("x".utf8))
        #expect(response.status == .created)
        #expect(response.headers[HTTPField.Name("x-final")!] == "2")
        #expect(response.headers[HTTPField.Name("x-interim")!] == nil)
        #expect(String(decoding: response.body, as: UTF8.self) == "done")
    }
}
