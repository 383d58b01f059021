#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The blocking system lookup, `getaddrinfo`: call it only on a thread MeshKit owns (see
/// ``HostLookupPool``), never on Swift's cooperative pool.
enum SystemHostLookup {
    /// The numeric addresses of `host`, IPv4 first. Throws ``MeshError/Code/connectFailed`` when
    /// the name does not resolve: nothing was sent, so the pipeline may retry even a POST.
    static func addresses(of host: String) throws(MeshError) -> [String] {
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
