import Foundation
import HTTPTypes
import MeshKit
import MeshKitHTTP
import MeshKitTestSupport
import MeshKitTesting
import Testing

/// A client that sends `Expect: 100-continue` gets `100 Continue` at once, rather than waiting
/// out its own timeout before it sends the body (RFC 9110 §10.1.1).
@Suite struct ServerExpectContinueTests {
    @Test("real curl uploads 2 MB (it sends Expect: 100-continue on its own) without waiting for its 1 s fallback")
    func curlUploadDoesNotWait() async throws {
        let mesh = try await Mesh(appID: "upload-service", configuration: .testing())
        mesh.handleInvocation("upload", httpMethods: [.post]) { request in
            .text("\(request.body.count) bytes, expect: \(request.headers[HTTPField.Name("expect")!] ?? "none")")
        }
        let folder = try ResourceFolder()
        defer { folder.remove() }
        let upload = try folder.write("upload.bin", String(repeating: "x", count: 2 * 1024 * 1024))
        try await withServer(mesh: mesh) { port in
            let output = try await TestCommand.run(
                "/usr/bin/env",
                [
                    "curl", "--silent", "--show-error", "--data-binary", "@\(upload)",
                    "--write-out", "\n%{http_code} %{time_total}",
                    "http://127.0.0.1:\(port)/v1.0/invoke/upload-service/method/upload",
                ]
            )
            let lines = output.split(separator: "\n")
            #expect(lines.first == "2097152 bytes, expect: 100-continue")
            let status = lines.last?.split(separator: " ")
            #expect(status?.first == "200")
            let seconds = status.flatMap { $0.last }.flatMap { Double($0) } ?? .infinity
            #expect(seconds < 0.9, "curl took \(seconds)s: it waited for 100 Continue")
        }
    }
}
