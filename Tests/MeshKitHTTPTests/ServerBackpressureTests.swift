import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

/// `maxConcurrentRequests` bounds the handlers in flight across every connection.
@Suite struct ServerBackpressureTests {
    @Test("with maxConcurrentRequests 2, a third request on its own connection is not handled until one of the first two finishes")
    func limitHoldsBackTheNextRequest() async throws {
        let gate = HandlerGate()
        let mesh = try await ServerShutdownTests.heldMesh(gate)
        try await withServer(mesh: mesh, configuration: .init(maxConcurrentRequests: 2)) { port in
            let requests = ["a", "b", "c"].map { id in
                Task { try await LoopbackSocket.exchange(port: port, ServerShutdownTests.heldRequest(id), receiveTimeout: .seconds(20)) }
            }
            try await eventually("two handlers started") { gate.started.count == 2 }
            try await Task.sleep(for: .milliseconds(500))
            #expect(gate.started.count == 2, "handlers started: \(gate.started)")
            let first = gate.started[0]
            gate.release(first)
            try await eventually("the third handler started") { gate.started.count == 3 }
            #expect(Set(gate.started) == ["a", "b", "c"])
            for id in ["a", "b", "c"] { gate.release(id) }
            for (request, id) in zip(requests, ["a", "b", "c"]) {
                let answer = try await request.value
                #expect(answer.hasPrefix("HTTP/1.1 200"))
                #expect(answer.hasSuffix("released \(id)"))
            }
        }
    }
}
