import Foundation
import Logging
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import ServiceLifecycle
import Testing

/// The threads of this process whose name starts with `prefix`, read from `/proc/self/task`.
private func threadCount(named prefix: String) -> Int {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.count { task in
        let name = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
        return name.hasPrefix(prefix)
    }
}

/// Whether the count of threads named `prefix…` reaches `expected` within two seconds.
private func threadCount(named prefix: String, settlesAt expected: Int) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(2)
    while ContinuousClock.now < deadline {
        if threadCount(named: prefix) == expected { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return false
}

@Suite("the HTTP transport's threads and shutdown")
struct HTTPTransportLifecycleTests {
    /// Runs in a child process of its own (an exit test), so that transports other tests create
    /// meanwhile cannot change the count.
    @Test("shutdown() returns once the transport's meshkit-curl threads have ended, after real invocations")
    func shutdownEndsItsThreads() async {
        await #expect(processExitsWith: .success) {
            let peer = try FaultServer(.respond(status: 200, reason: "OK", headers: [:], body: "ok"))
            defer { peer.stop() }
            let before = threadCount(named: "meshkit-curl")
            let transport = try Peers.transport(to: peer.port, .init(attemptTimeout: .seconds(5), threads: 2))
            #expect(await threadCount(named: "meshkit-curl", settlesAt: before + 2), "meshkit-curl-0 and meshkit-curl-1 run")
            for _ in 0..<3 {
                #expect(try await transport.invoke(Peers.get).status == .ok)
            }
            await transport.shutdown()
            #expect(await threadCount(named: "meshkit-curl", settlesAt: before), "the threads have ended")
            await transport.shutdown()
        }
    }

    @Test("shutting down fails the call in flight at once and every later call, with a MeshError")
    func shutdownFailsCallsInFlightAndLater() async throws {
        let stall = try FaultServer(.stall)
        defer { stall.stop() }
        let transport = try Peers.transport(to: stall.port, .init(attemptTimeout: .seconds(30)))
        let call = Task { try await transport.invoke(Peers.get) }
        try await eventually("the request reached the peer") { stall.acceptedConnections == 1 }
        let start = ContinuousClock.now
        await transport.shutdown()
        let inFlight = await #expect(throws: MeshError.self) { try await call.value }
        #expect(inFlight?.code == .cancelled)
        #expect(ContinuousClock.now - start < .seconds(5))
        let later = await #expect(throws: MeshError.self) {
            try await transport.invoke(Peers.get)
        }
        #expect(later?.code == .cancelled)
    }

    @Test("as a Service, the transport shuts down when its ServiceGroup shuts down gracefully")
    func shutsDownWithItsServiceGroup() async throws {
        let peer = try FaultServer(.respond(status: 200, reason: "OK", headers: [:], body: "ok"))
        defer { peer.stop() }
        let transport = try Peers.transport(to: peer.port, .init(attemptTimeout: .seconds(5)))
        let group = ServiceGroup(services: [transport], logger: Logger(label: "transport-test"))
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await transport.invoke(Peers.get).status == .ok)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let error = await #expect(throws: MeshError.self) {
            try await transport.invoke(Peers.get)
        }
        #expect(error?.code == .cancelled)
    }
}
