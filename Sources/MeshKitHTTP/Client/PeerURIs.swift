import CCurl

/// The URI SANs of the certificate a transfer's TLS peer presented, read through the shim
/// from libcurl's OpenSSL connection.
enum PeerURIs {
    /// The URIs, empty when the connection is not TLS or the peer presented none.
    static func read(_ easy: UnsafeMutableRawPointer) -> [String] {
        var capacity = 512
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let needed = meshkit_curl_peer_uri_sans(easy, &buffer, capacity)
            guard needed > 0 else { return [] }
            guard needed <= capacity else {
                capacity = needed
                continue
            }
            let bytes = buffer.prefix(needed).map { UInt8(bitPattern: $0) }
            return bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
