import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the server accepts of a request, and for how long it waits for it.
@Suite struct ServerRequestBoundsTests {
    @Test("a chunked body that never finishes is answered 408 once the body timeout passes")
    func unfinishedBodyTimesOut() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh, configuration: .init(bodyTimeout: .milliseconds(300))) { port in
            let (answer, waited) = try await blocking {
                let socket = try LoopbackSocket.connect(port: port, receiveTimeout: .seconds(10))
                defer { close(socket) }
                let start = ContinuousClock.now
                LoopbackSocket.send(
                    socket,
                    Array(
                        "POST /v1.0/invoke/product-service/method/products/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                            .utf8
                    )
                )
                return (LoopbackSocket.receiveAll(socket), ContinuousClock.now - start)
            }
            #expect(answer.hasPrefix("HTTP/1.1 408"))
            #expect(waited < .milliseconds(300) + .seconds(2), "the server answered after \(waited)")
        }
    }

    @Test("an HTTP/1.1 request without a Host header, or with two, is 400; an HTTP/1.0 request may omit it")
    func hostHeaderIsRequiredForHTTP11() async throws {
        let mesh = try await productMesh()
        try await withServer(mesh: mesh) { port in
            let missing = try await LoopbackSocket.exchange(
                port: port,
                "GET /v1.0/invoke/product-service/method/products/1 HTTP/1.1\r\n\r\n"
            )
            #expect(missing.hasPrefix("HTTP/1.1 400"))
            let twice = try await LoopbackSocket.exchange(port: port, "GET /v1.0/healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
            #expect(twice.hasPrefix("HTTP/1.1 400"))
            let old = try await LoopbackSocket.exchange(port: port, "GET /v1.0/invoke/product-service/method/products/1 HTTP/1.0\r\n\r\n")
            #expect(old.hasPrefix("HTTP/1.0 200"))
            #expect(old.hasSuffix("product 1  "))
        }
    }

    @Test("pipelined requests are answered in order, even when an earlier one takes longer")
    func pipelinedRequestsAreAnsweredInOrder() async throws {
        let mesh = try await productMesh()
        mesh.handleInvocation("slow/{ms}") { request in
            let milliseconds = Int(request.pathParameters["ms"] ?? "") ?? 0
            try await Task.sleep(for: .milliseconds(milliseconds))
            return .text("after \(milliseconds)")
        }
        try await withServer(mesh: mesh) { port in
            let pipelined = [300, 0, 100].map { "GET /v1.0/invoke/product-service/method/slow/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
            let answers = try await LoopbackSocket.exchange(
                port: port,
                pipelined + "GET /v1.0/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            let order = ["after 300", "after 0", "after 100", "HTTP/1.1 204"].map { answers.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil }, "answers: \(answers)")
            #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        }
    }
}
