import CCurl
import MeshKit

/// What the peer certificates of one engine's connections carry, read once per certificate:
/// a request on a connection already checked finds its peer's names here instead of reading and
/// parsing the certificate again.
///
/// The cache holds a reference to each certificate it keeps, so a certificate found at a cached
/// address is the very one that was read, never another one allocated where a freed one was.
/// At most ``capacity`` certificates are kept; the oldest goes first. Used only by the engine's
/// thread.
final class PeerCertificateCache {
    /// A peer certificate's names.
    struct Names {
        /// Its DNS, URI and IP SANs, in order.
        let subjectAltNames: [PeerSubjectAltNames.Name]
        /// The SPIFFE IDs among its URI SANs.
        let spiffeIDs: [SPIFFEID]

        init(_ subjectAltNames: [PeerSubjectAltNames.Name]) {
            self.subjectAltNames = subjectAltNames
            self.spiffeIDs = subjectAltNames.compactMap { name in
                guard case .uri(let uri) = name, uri.lowercased().hasPrefix("spiffe://") else { return nil }
                return try? SPIFFEID(parsing: uri)
            }
        }

        static let none = Names([])
    }

    /// How many certificates are kept.
    static let capacity = 256

    private var entries: [UnsafeMutableRawPointer: Names] = [:]
    private var order: [UnsafeMutableRawPointer] = []
    private var oldest = 0

    /// The names of the certificate the TLS peer of `easy`'s connection presented; none when the
    /// connection is not TLS or the peer presented no certificate.
    func names(ofPeerOf easy: UnsafeMutableRawPointer) -> Names {
        guard let certificate = meshkit_curl_peer_certificate(easy) else { return .none }
        if let cached = entries[certificate] {
            meshkit_x509_free(certificate)
            return cached
        }
        let names = Names(PeerSubjectAltNames.read(certificate: certificate))
        keep(certificate, names)
        return names
    }

    /// Keeps `certificate`'s reference and names, releasing the oldest beyond the capacity.
    private func keep(_ certificate: UnsafeMutableRawPointer, _ names: Names) {
        entries[certificate] = names
        if order.count < Self.capacity {
            order.append(certificate)
            return
        }
        let evicted = order[oldest]
        entries[evicted] = nil
        meshkit_x509_free(evicted)
        order[oldest] = certificate
        oldest = (oldest + 1) % Self.capacity
    }

    deinit {
        for certificate in order { meshkit_x509_free(certificate) }
    }
}
