import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

@Suite("bounded connections per host")
struct HTTPConnectionLimitTests {
    @Test("with maxConnectionsPerHost 4, 200 concurrent calls all succeed over at most 4 connections")
    func manyCallsShareFourConnections() async throws {
        let peer = try FaultServer(.respond(status: 200, reason: "OK", headers: [:], body: "ok"))
        defer { peer.stop() }
        let transport = try Peers.transport(to: peer.port, .init(attemptTimeout: .seconds(30), maxConnectionsPerHost: 4))
        let statuses = try await withThrowingTaskGroup { group in
            for _ in 0..<200 { group.addTask { try await transport.invoke(Peers.get).status.code } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        await transport.shutdown()
        #expect(statuses.count == 200 && statuses.allSatisfy { $0 == 200 })
        // Connections are kept alive and reused, so the peer's count of every connection it
        // accepted bounds how many it ever had open at once.
        #expect((1...4).contains(peer.acceptedConnections), "\(peer.acceptedConnections) connections")
    }

    @Test("past the pending limit, calls fail at once with a non-retryable overflow, unsent")
    func pendingLimitOverflows() async throws {
        let stall = try FaultServer(.stall)
        defer { stall.stop() }
        let transport = try Peers.transport(
            to: stall.port,
            .init(attemptTimeout: .seconds(30), maxConnectionsPerHost: 1, maxPendingRequestsPerHost: 2)
        )
        let calls = (0..<5).map { _ in Task { try await transport.invoke(Peers.get) } }
        try await eventually("one call holds the connection") { stall.acceptedConnections == 1 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(stall.acceptedConnections == 1)
        for call in calls { call.cancel() }
        var codes: [HTTPTransportError.Code?] = []
        for call in calls {
            let error = await #expect(throws: MeshError.self) { try await call.value }
            codes.append(error?.httpTransportError?.code)
            if error?.httpTransportError?.code == .poolOverflow {
                #expect(error?.code == .tooManyRequests)
                #expect(error?.httpTransportError?.isSafeToRetry == false)
            }
        }
        #expect(codes.count { $0 == .poolOverflow } == 2, "one call holds the connection, two wait, two overflow: \(codes)")
        #expect(codes.count { $0 == .cancelled } == 3)
        await transport.shutdown()
    }

    @Test("a call waiting for a connection gives up at its deadline, or at once when cancelled")
    func waitingCallsAreBoundedAndCancellable() async throws {
        let stall = try FaultServer(.stall)
        defer { stall.stop() }
        let transport = try Peers.transport(to: stall.port, .init(attemptTimeout: .seconds(30), maxConnectionsPerHost: 1))
        let holder = Task { try await transport.invoke(Peers.get) }
        try await eventually("the first call holds the only connection") { stall.acceptedConnections == 1 }

        let waiting = Task { try await transport.invoke(Peers.get) }
        try await Task.sleep(for: .milliseconds(100))
        let cancelled = ContinuousClock.now
        waiting.cancel()
        let cancellation = await #expect(throws: MeshError.self) { try await waiting.value }
        #expect(cancellation?.code == .cancelled)
        #expect(ContinuousClock.now - cancelled < .seconds(2), "at once, not at the 30s attempt timeout (0.84s seen on a loaded machine)")

        let started = ContinuousClock.now
        let timedOut = await #expect(throws: MeshError.self) {
            try await MeshDeadline.$current.withValue(.now + .milliseconds(500)) { try await transport.invoke(Peers.get) }
        }
        #expect(timedOut?.httpTransportError?.code == .connectTimeout, "it waited for a connection; nothing was sent")
        #expect(ContinuousClock.now - started < .seconds(3))
        holder.cancel()
        #expect(stall.acceptedConnections == 1)
        await transport.shutdown()
    }
}
