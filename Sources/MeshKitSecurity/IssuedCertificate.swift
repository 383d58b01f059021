public import Crypto
public import Foundation
public import MeshKit
public import X509

/// A workload certificate the ``DevelopmentCA`` issued, with its private key.
public struct IssuedCertificate: Sendable {
    /// The certificate.
    public let certificate: Certificate
    /// Its private key.
    public let privateKey: P256.Signing.PrivateKey
    /// The SPIFFE ID in its URI SAN.
    public let identity: SPIFFEID

    /// The certificate as PEM.
    public var certificatePEM: String {
        get throws(MeshError) { try PEMFiles.pem(of: certificate) }
    }

    /// The private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public var privateKeyPEM: String { privateKey.pemRepresentation }

    /// The serial number as lower-case hex without separators, as `openssl x509 -serial` prints
    /// it (upper-case there).
    public var serialHex: String { certificate.serialNumber.bytes.map { String(format: "%02x", $0) }.joined() }

    /// Writes `cert.pem`, `key.pem` (mode 0600) and, with `bundle`, `bundle.pem` (the CA's root)
    /// into `directory`, creating it; each file is replaced atomically, so a watcher never
    /// reads half a file. Returns the paths written.
    @discardableResult
    public func write(to directory: URL, bundle: DevelopmentCA? = nil) throws(MeshError) -> WorkloadCredentialFiles {
        let files = WorkloadCredentialFiles(directory: directory)
        try PEMFiles.createDirectory(directory)
        try PEMFiles.write(try certificatePEM, to: files.certificate, private: false)
        try PEMFiles.write(privateKeyPEM, to: files.privateKey, private: true)
        if let bundle {
            try PEMFiles.write(try PEMFiles.pem(of: bundle.certificate), to: files.trustBundle, private: false)
        }
        return files
    }
}
