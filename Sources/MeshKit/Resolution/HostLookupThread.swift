import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The thread that runs the blocking `getaddrinfo`, one lookup at a time, so the cooperative
/// pool never blocks on DNS. It starts on first use and lives as long as the process.
final class HostLookupThread: Sendable {
    static let shared = HostLookupThread()

    private struct Job: Sendable {
        let host: String
        let continuation: CheckedContinuation<[String], any Error>
    }

    private let jobs = Mutex<[Job]>([])
    private let wakeUp = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "meshkit-dns"
        thread.start()
    }

    func lookup(_ host: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock { $0.append(Job(host: host, continuation: continuation)) }
            wakeUp.signal()
        }
    }

    private func loop() {
        while true {
            wakeUp.wait()
            let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            guard let job else { continue }
            job.continuation.resume(with: Result { try Self.getAddresses(job.host) })
        }
    }

    private static func getAddresses(_ host: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
        #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0, let first = result else {
            let reason = String(cString: gai_strerror(status))
            // Nothing was sent: the pipeline retries a connect failure even for POST.
            throw MeshError(.connectFailed, "the host name '\(host)' did not resolve: \(reason)", context: .init(subject: host))
        }
        defer { freeaddrinfo(first) }
        var v4: [String] = []
        var v6: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let family = info.pointee.ai_family
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if family == AF_INET6 {
                    if !v6.contains(address) { v6.append(address) }
                } else if !v4.contains(address) {
                    v4.append(address)
                }
            }
            cursor = info.pointee.ai_next
        }
        return v4 + v6
    }
}
