import Foundation
import Glibc
import MeshKitTesting

/// A TCP listener that answers every connection with bytes that are not Redis's protocol.
final class RedisGarbageServer: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        port = try LoopbackPort.free()
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw TestServerError(message: "cannot listen on \(port)") }
        let thread = Thread {
            while true {
                let client = accept(descriptor, nil, nil)
                if client < 0 { return }
                let garbage = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                _ = garbage.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
        thread.start()
    }

    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }
}
