import CCurl
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The PEM files DestinationRules name (`caCertificates`, `clientCertificate`, `privateKey`),
/// read when a call needs them and again whenever one changes (another inode, size or
/// modification time, as an atomic replacement or a Kubernetes secret update makes), each
/// checked with OpenSSL, as libcurl will read it, so a bad file fails the call naming it.
///
/// Used from the engine threads only, which own the transport's blocking I/O: each call costs
/// one `stat` of each of its files; shared by the engines of one transport.
final class PEMFileCache: Sendable {
    /// What a file must hold.
    enum Content: Sendable, Hashable {
        /// One or more certificates: a CA bundle, or a certificate with its chain.
        case certificates
        /// A private key, unencrypted.
        case privateKey
    }

    /// A file a DestinationRule names, and the field that names it, for errors.
    struct File: Sendable, Hashable {
        var path: String
        /// Such as `tls.caCertificates`.
        var field: String
        var content: Content
    }

    /// The largest file read: far beyond any certificate bundle.
    static let maxFileSize = 4 * 1024 * 1024

    /// What identifies one version of a file.
    private struct Version: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64
    }

    private struct Entry {
        var version: Version
        var bytes: Data
    }

    private let entries = Mutex<[File: Entry]>([:])

    /// The bytes of `file`, checked to hold its ``Content``: from the cache when the file has not
    /// changed since it was read. Throws ``HTTPTransportError/Code/tlsFileUnusable`` naming the
    /// file when it cannot be read or holds no usable PEM.
    func bytes(of file: File) throws(HTTPTransportError) -> Data {
        let version = try Self.version(of: file)
        if let entry = entries.withLock({ $0[file] }), entry.version == version { return entry.bytes }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: file.path))
        } catch {
            throw Self.error(file, "could not be read: \(error.localizedDescription)")
        }
        guard !bytes.isEmpty else { throw Self.error(file, "is empty") }
        try Self.check(bytes, of: file)
        entries.withLock { $0[file] = Entry(version: version, bytes: bytes) }
        return bytes
    }

    private static func version(of file: File) throws(HTTPTransportError) -> Version {
        var info = stat()
        guard stat(file.path, &info) == 0 else {
            throw error(file, "could not be read: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw error(file, "is not a regular file") }
        guard info.st_size <= maxFileSize else { throw error(file, "is larger than \(maxFileSize) bytes: not a PEM file") }
        #if canImport(Darwin)
            let modified = info.st_mtimespec
        #else
            let modified = info.st_mtim
        #endif
        return Version(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            modifiedSeconds: Int64(modified.tv_sec),
            modifiedNanoseconds: Int64(modified.tv_nsec)
        )
    }

    private static func check(_ bytes: Data, of file: File) throws(HTTPTransportError) {
        switch file.content {
        case .certificates:
            let count = bytes.withUnsafeBytes { meshkit_pem_certificate_count($0.baseAddress, $0.count) }
            if count < 0 { throw error(file, "holds a malformed PEM certificate") }
            if count == 0 { throw error(file, "holds no PEM certificate") }
        case .privateKey:
            let found = bytes.withUnsafeBytes { meshkit_pem_has_private_key($0.baseAddress, $0.count) }
            if found == 0 { throw error(file, "holds no usable PEM private key (malformed, or encrypted, which is not supported)") }
        }
    }

    private static func error(_ file: File, _ problem: String) -> HTTPTransportError {
        HTTPTransportError(.tlsFileUnusable, "the \(file.field) file '\(file.path)' \(problem); the call was not sent")
    }
}
