package import Foundation
import Synchronization

/// A real server a test starts and must stop: redis-server, nginx, a Python HTTP server.
public protocol TestServer: Sendable {
    /// Stops the server and removes what it left behind.
    func stop() async
}

extension TestServer {
    /// Runs `body` with the server, then stops it, whether `body` returns or throws.
    public func run<Result>(_ body: (Self) async throws -> Result) async throws -> Result {
        do {
            let result = try await body(self)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}

/// Why a test server could not be started or reached.
public struct TestServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// Whether the server process exited as soon as it started (its port taken, say).
    public let isExitAtOnce: Bool

    /// Creates an error.
    public init(message: String, isExitAtOnce: Bool = false) {
        self.message = message
        self.isExitAtOnce = isExitAtOnce
    }

    public var description: String { message }
}

/// Ports on the loopback interface.
public enum LoopbackPort {
    /// A TCP port nothing listens on: bind port 0, read the port the kernel chose, close.
    public static func free() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestServerError(message: "socket() failed") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw TestServerError(message: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on `port`.
    public static func isListening(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// The IPv4 loopback address with `port`.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// Starts test processes one at a time, on a serial queue of its own: concurrent
/// `Process.run()` calls corrupt memory in swift-corelibs-foundation, tests start servers in
/// parallel, and a waiting launch must not hold one of Swift's few cooperative threads.
package enum TestProcessLauncher {
    private static let queue = DispatchQueue(label: "meshkit.testing.process-launcher")

    package static func launch(_ process: Process) async throws {
        let box = SendableProcess(process)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { continuation.resume(with: Result { try box.process.run() }) }
        }
    }
}

/// A `Process` handed between threads; Foundation's `Process` is not `Sendable`, and each user
/// touches it from one place at a time.
package final class SendableProcess: @unchecked Sendable {
    package let process: Process
    package init(_ process: Process) { self.process = process }
}
