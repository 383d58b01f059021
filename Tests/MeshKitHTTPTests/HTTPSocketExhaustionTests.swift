import Foundation
import MeshKit
import MeshKitHTTP
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("running out of local sockets")
struct HTTPSocketExhaustionTests {
    /// Runs in a child process of its own (an exit test): it lowers the process's descriptor
    /// limit, which would break tests running alongside.
    @Test("with no file descriptor left, a call fails as resource exhaustion, not a connect failure, and is not safe to retry")
    func outOfDescriptorsIsNotAConnectFailure() async {
        await #expect(processExitsWith: .success) {
            let (listener, port) = try LoopbackSocket.listen()
            close(listener)
            let transport = try Peers.transport(to: port, .init(attemptTimeout: .seconds(5)))
            let refused = await #expect(throws: MeshError.self) { try await transport.invoke(Peers.get) }
            #expect(refused?.code == .connectFailed, "with descriptors to spare, the closed port refuses")

            var original = rlimit()
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &original)
            let lowestFree = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            close(lowestFree)
            var lowered = original
            lowered.rlim_cur = rlim_t(lowestFree)
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &lowered)
            let error = await #expect(throws: MeshError.self) { try await transport.invoke(Peers.get) }
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &original)

            #expect(error?.code == .resourceExhausted, "\(String(describing: error))")
            #expect(error?.httpTransportError?.code == .localResourcesExhausted)
            #expect(error?.httpTransportError?.isSafeToRetry == false)
            await transport.shutdown()
        }
    }
}
