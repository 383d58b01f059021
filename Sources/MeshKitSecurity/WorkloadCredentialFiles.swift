public import Foundation

/// Where a workload's certificate, private key and trust bundle live, as PEM files.
public struct WorkloadCredentialFiles: Sendable, Hashable {
    /// The workload certificate, optionally followed by intermediates.
    public var certificate: URL
    /// The private key of the certificate (PKCS#8, SEC 1 or PKCS#1 PEM).
    public var privateKey: URL
    /// The trust bundle: the root certificates that verify peers.
    public var trustBundle: URL

    /// Files at explicit paths.
    public init(certificate: URL, privateKey: URL, trustBundle: URL) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.trustBundle = trustBundle
    }

    /// `cert.pem`, `key.pem` and `bundle.pem` in `directory`, as ``IssuedCertificate/write(to:bundle:)`` writes them.
    public init(directory: URL) {
        self.init(
            certificate: directory.appendingPathComponent("cert.pem"),
            privateKey: directory.appendingPathComponent("key.pem"),
            trustBundle: directory.appendingPathComponent("bundle.pem")
        )
    }
}
