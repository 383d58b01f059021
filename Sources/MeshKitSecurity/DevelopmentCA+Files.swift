import Crypto
public import Foundation
public import MeshKit
import X509

extension DevelopmentCA {
    /// `root.pem` and `root.key.pem` in a CA directory.
    public struct Files: Sendable, Hashable {
        /// The root certificate.
        public var certificate: URL
        /// The root's private key.
        public var privateKey: URL

        /// The files in `directory`.
        public init(directory: URL) {
            certificate = directory.appendingPathComponent("root.pem")
            privateKey = directory.appendingPathComponent("root.key.pem")
        }
    }

    /// The root as PEM: what a trust bundle holds.
    public var certificatePEM: String {
        get throws(MeshError) { try PEMFiles.pem(of: certificate) }
    }

    /// Writes `root.pem` and `root.key.pem` (mode 0600) into `directory`, creating it.
    @discardableResult
    public func write(to directory: URL) throws(MeshError) -> Files {
        let files = Files(directory: directory)
        try PEMFiles.createDirectory(directory)
        try PEMFiles.write(try certificatePEM, to: files.certificate, private: false)
        try PEMFiles.write(privateKey.pemRepresentation, to: files.privateKey, private: true)
        return files
    }

    /// Reads a CA that ``write(to:)`` wrote; throws naming the file when one is unreadable,
    /// malformed, or the key is not the certificate's.
    public static func load(from directory: URL) throws(MeshError) -> DevelopmentCA {
        let files = Files(directory: directory)
        func text(_ url: URL) throws(MeshError) -> String {
            do { return try String(contentsOf: url, encoding: .utf8) } catch {
                throw MeshError(
                    .invalidConfiguration,
                    "the file could not be read: \(error.localizedDescription)",
                    context: .init(file: url.path)
                )
            }
        }
        let certificateText = try text(files.certificate)
        let keyText = try text(files.privateKey)
        let certificate: Certificate
        do { certificate = try Certificate(pemEncoded: certificateText) } catch {
            throw MeshError(.invalidConfiguration, "malformed PEM: \(error)", context: .init(file: files.certificate.path))
        }
        let key: P256.Signing.PrivateKey
        do { key = try P256.Signing.PrivateKey(pemRepresentation: keyText) } catch {
            throw MeshError(.invalidConfiguration, "malformed P-256 private key", context: .init(file: files.privateKey.path))
        }
        guard Certificate.PublicKey(key.publicKey) == certificate.publicKey else {
            throw MeshError(
                .invalidConfiguration,
                "the private key does not match the certificate \(files.certificate.path)",
                context: .init(file: files.privateKey.path)
            )
        }
        return DevelopmentCA(certificate: certificate, privateKey: key)
    }
}
