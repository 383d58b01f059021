import Foundation
import MeshKitTestSupport
import MeshKitTesting
import Testing

@Suite("the two-process example, run by its script")
struct TwoProcessDemoTests {
    @Test("scripts/two-process-demo.sh starts Redis, both services and stops them; every order is priced, saved, published and reserved")
    func demoRunsEndToEnd() async throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let binaries = try Peers.productServiceBinary().deletingLastPathComponent()
        var environment = ProcessInfo.processInfo.environment
        environment["MESHKIT_BIN_DIR"] = binaries.path
        let output = try await TestCommand.run(
            "/bin/bash",
            [packageRoot.appendingPathComponent("scripts/two-process-demo.sh").path],
            environment: environment
        )
        let expected = [
            "started redis-server on 127.0.0.1:",
            "product-service  listening; announced as http://127.0.0.1:",
            "order-service    found product-service at http://127.0.0.1:",
            "order-service    asked for products/teapot: 404, as expected",
            "order-service    placed order-1: 2 × Mug = 998 cents",
            "product-service  received order-created for order-2: 1 × book, 99 left",
            "order-service    stock-reserved for order-3: 95 × mug left",
            "order-service    done: 3 orders priced over HTTP, saved in Redis, published and reserved",
            "product-service  stopped gracefully",
            "finished: both services ran and stopped cleanly",
        ]
        for line in expected {
            #expect(output.contains(line), "missing '\(line)' in:\n\(output)")
        }
    }
}
