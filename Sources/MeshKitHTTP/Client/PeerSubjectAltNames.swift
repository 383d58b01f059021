import CCurl

/// The subject alternative names of the certificate a transfer's TLS peer presented, read
/// through the shim from libcurl's OpenSSL connection.
enum PeerSubjectAltNames {
    /// One SAN.
    enum Name: Sendable, Hashable, CustomStringConvertible {
        /// A DNS name, possibly a wildcard such as `*.example.com`.
        case dns(String)
        /// A URI, such as a SPIFFE ID.
        case uri(String)
        /// An IP address, as `inet_ntop` writes it.
        case ip(String)

        /// Whether this SAN is `expected`, a name a DestinationRule's `subjectAltNames` lists:
        /// a URI exactly; a DNS name or IP address regardless of case, a wildcard DNS SAN
        /// standing for exactly one leftmost label (`*.example.com` is `api.example.com`, not
        /// `example.com` or `a.b.example.com`), as OpenSSL's host name check reads it.
        func matches(_ expected: String) -> Bool {
            switch self {
            case .uri(let uri):
                return uri == expected
            case .ip(let address):
                return address.lowercased() == expected.lowercased()
            case .dns(let name):
                let name = Self.normalized(name)
                let expected = Self.normalized(expected)
                if name == expected { return true }
                guard name.hasPrefix("*."), name.dropFirst(2).contains("."), let dot = expected.firstIndex(of: "."),
                    dot != expected.startIndex
                else { return false }
                return expected[dot...] == name.dropFirst()
            }
        }

        /// `DNS:…`, `URI:…` or `IP:…`, as OpenSSL prints SANs.
        var description: String {
            switch self {
            case .dns(let name): "DNS:\(name)"
            case .uri(let uri): "URI:\(uri)"
            case .ip(let address): "IP:\(address)"
            }
        }

        /// A DNS name in lower case without a trailing dot.
        private static func normalized(_ name: String) -> String {
            let lowered = name.lowercased()
            return lowered.hasSuffix(".") ? String(lowered.dropLast()) : lowered
        }
    }

    /// The DNS, URI and IP SANs of `certificate` (an OpenSSL `X509`), in the certificate's
    /// order.
    static func read(certificate: UnsafeMutableRawPointer) -> [Name] {
        var capacity = 512
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let needed = meshkit_x509_sans(certificate, &buffer, capacity)
            guard needed > 0 else { return [] }
            guard needed <= capacity else {
                capacity = needed
                continue
            }
            let bytes = buffer.prefix(needed).map { UInt8(bitPattern: $0) }
            return bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix("DNS:") { return .dns(String(text.dropFirst(4))) }
                if text.hasPrefix("URI:") { return .uri(String(text.dropFirst(4))) }
                if text.hasPrefix("IP:") { return .ip(String(text.dropFirst(3))) }
                return nil
            }
        }
    }
}
