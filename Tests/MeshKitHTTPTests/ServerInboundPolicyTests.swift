import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Synchronization
import Testing

/// Counts from any thread.
final class Counter: Sendable {
    private let count = Atomic(0)
    var value: Int { count.load(ordering: .relaxed) }
    func increment() { count.add(1, ordering: .relaxed) }
}

/// The server applies the app's inbound policies and the caller's deadline to every request.
@Suite struct ServerInboundPolicyTests {
    /// A mesh whose `slow` handler signals that it started, then sleeps until cancelled, under an
    /// inbound concurrency limit of one and an inbound timeout of 2s.
    static func slowMesh(started: AsyncStream<Void>.Continuation, cancelled: Counter) async throws -> Mesh {
        let yaml = """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: inbound
            spec:
              policies:
                timeouts:
                  handler: 2s
                concurrencyLimits:
                  single: { maxConcurrent: 1 }
              targets:
                apps:
                  product-service:
                    inbound: { concurrencyLimit: single, timeout: handler }
            """
        let resources = try ResourceLoader.parse(yaml: yaml, file: "inbound.yaml")
        let mesh = try await Mesh(appID: "product-service", configuration: .testing(resources: resources))
        mesh.handleInvocation("slow") { _ in
            started.yield()
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancelled.increment()
                throw error
            }
            return .text("too late")
        }
        return mesh
    }

    static let slowRequest = "GET /v1.0/invoke/product-service/method/slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"

    @Test("a request over the inbound concurrency limit gets 429; the one in flight is cut off by the inbound timeout with 504")
    func concurrencyLimitAndTimeout() async throws {
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let cancelled = Counter()
        let mesh = try await Self.slowMesh(started: startedContinuation, cancelled: cancelled)
        try await withServer(mesh: mesh) { port in
            let first = Task { try await LoopbackSocket.exchange(port: port, Self.slowRequest + "\r\n", receiveTimeout: .seconds(10)) }
            var iterator = started.makeAsyncIterator()
            await iterator.next()
            let second = try await LoopbackSocket.exchange(port: port, Self.slowRequest + "\r\n")
            #expect(second.hasPrefix("HTTP/1.1 429"))
            #expect(try await first.value.hasPrefix("HTTP/1.1 504"))
            #expect(cancelled.value == 1)
        }
    }

    @Test("the caller's x-meshkit-deadline bounds the handler: it is cancelled and the caller gets 504")
    func callerDeadlineBoundsHandler() async throws {
        let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
        let cancelled = Counter()
        let mesh = try await Self.slowMesh(started: startedContinuation, cancelled: cancelled)
        try await withServer(mesh: mesh) { port in
            let answer = try await LoopbackSocket.exchange(port: port, Self.slowRequest + "x-meshkit-deadline: 1000m\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 504"))
            startedContinuation.finish()
            let starts = await started.reduce(0) { count, _ in count + 1 }
            // Well within the second the handler starts; whenever it did, it was cancelled.
            #expect(cancelled.value == starts)
        }
    }
}
