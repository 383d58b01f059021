import Foundation
import MeshKitTesting
import Synchronization
import Testing

@testable import MeshKit

/// A blocking lookup that stalls on one name until released, and counts its calls per name.
private final class StallingLookup: Sendable {
    let stalledName: String
    private let release = DispatchSemaphore(value: 0)
    private let calls = Mutex<[String: Int]>([:])

    init(stalling stalledName: String) {
        self.stalledName = stalledName
    }

    func resolve(_ host: String) throws -> [String] {
        calls.withLock { $0[host, default: 0] += 1 }
        if host == stalledName { release.wait() }
        return ["127.0.0.1"]
    }

    func calls(of host: String) -> Int { calls.withLock { $0[host] ?? 0 } }

    /// Lets the stalled lookup finish.
    func unblock() { release.signal() }
}

@Suite("host lookups on MeshKit's own bounded threads")
struct HostLookupPoolTests {
    @Test("a stalled name holds one thread: other names resolve meanwhile, and its caller's cancel returns at once")
    func stalledNameDoesNotHoldUpOthers() async throws {
        let lookup = StallingLookup(stalling: "stalled.test")
        defer { lookup.unblock() }
        let pool = HostLookupPool(maxThreads: 2, idleTimeout: .seconds(5), resolve: lookup.resolve)
        let resolver = DNSNameResolver(configuration: .init(hostFormat: "{appid}.test"), lookup: HostLookup(pool: pool))

        let stalled = Task { try await resolver.resolve(appID: "stalled") }
        try await eventually("the stalled lookup started") { lookup.calls(of: "stalled.test") == 1 }
        for name in ["a", "b", "c", "d"] {
            #expect(try await resolver.resolve(appID: name) == [Endpoint(host: "127.0.0.1", port: 3500)])
        }

        let cancelled = ContinuousClock.now
        stalled.cancel()
        await #expect(throws: CancellationError.self) { try await stalled.value }
        #expect(ContinuousClock.now - cancelled < .seconds(3), "the cancelled caller does not wait for the blocked thread")
    }

    @Test("callers of a name already being looked up share one lookup")
    func concurrentLookupsOfOneNameAreShared() async throws {
        let lookup = StallingLookup(stalling: "shared.test")
        let pool = HostLookupPool(maxThreads: 2, idleTimeout: .seconds(5), resolve: lookup.resolve)
        let callers = (0..<5).map { _ in Task { try await pool.addresses(of: "shared.test") } }
        try await eventually("the lookup started") { lookup.calls(of: "shared.test") == 1 }
        try await Task.sleep(for: .milliseconds(50))
        lookup.unblock()
        for caller in callers { #expect(try await caller.value == ["127.0.0.1"]) }
        #expect(lookup.calls(of: "shared.test") == 1)
    }

    @Test("idle lookup threads end on their own; the pool starts them again when needed")
    func idleThreadsExit() async throws {
        let lookup = StallingLookup(stalling: "none")
        let pool = HostLookupPool(maxThreads: 2, idleTimeout: .milliseconds(100), resolve: lookup.resolve)
        #expect(pool.threadCount == 0, "nothing starts before the first lookup")
        _ = try await pool.addresses(of: "first.test")
        try await eventually("the idle thread ended") { pool.threadCount == 0 }
        #expect(try await pool.addresses(of: "second.test") == ["127.0.0.1"])
    }

    @Test("the system lookup resolves localhost, and an unknown name is a connect failure")
    func systemLookup() async throws {
        let addresses = try await HostLookup.system.addresses(of: "localhost")
        #expect(addresses.contains { $0 == "127.0.0.1" || $0 == "::1" })
        let error = await #expect(throws: MeshError.self) { try await HostLookup.system.addresses(of: "nowhere.invalid") }
        #expect(error?.code == .connectFailed)
    }
}
