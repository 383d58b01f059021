public import Foundation
public import MeshKit
import SwiftASN1
public import X509

/// A workload's certificate chain, private key and trust bundle, read from PEM files and
/// checked: what a TLS server or client presents and trusts.
///
/// ``load(from:now:)`` refuses, with a ``MeshKit/MeshError/Code/invalidConfiguration`` error
/// whose context names the file:
/// - a file that cannot be read, or malformed PEM (no PEM block, a block that does not decode,
///   a certificate file with a block other than `CERTIFICATE`);
/// - a private key that does not match the certificate's public key;
/// - a certificate that has expired or is not valid yet;
/// - a certificate without exactly one SPIFFE URI SAN of either form (see ``MeshKit/SPIFFEID``);
/// - an empty trust bundle.
///
/// Its `description` names the identity and serial number, never the key.
public struct WorkloadCredentials: Sendable, CustomStringConvertible {
    /// The leaf certificate, then any intermediates, as in the certificate file.
    public let certificateChain: [Certificate]
    /// The leaf's private key.
    public let privateKey: Certificate.PrivateKey
    /// The roots that verify peers.
    public let trustBundle: [Certificate]
    /// The SPIFFE ID in the leaf's URI SAN.
    public let identity: SPIFFEID
    /// The certificate file's content, as read.
    public let certificatePEM: String
    /// The private key file's content, as read.
    public let privateKeyPEM: String
    /// The trust bundle file's content, as read.
    public let trustBundlePEM: String

    /// The leaf certificate.
    public var certificate: Certificate { certificateChain[0] }

    public var description: String {
        "WorkloadCredentials(\(identity), serial \(certificate.serialNumber), valid until \(certificate.notValidAfter))"
    }

    /// Reads and checks the three files; see the type's documentation for what is refused.
    public static func load(from files: WorkloadCredentialFiles, now: Date = Date()) throws(MeshError) -> WorkloadCredentials {
        let certificateText = try read(files.certificate)
        let keyText = try read(files.privateKey)
        let bundleText = try read(files.trustBundle)
        return try WorkloadCredentials(
            certificatePEM: certificateText,
            privateKeyPEM: keyText,
            trustBundlePEM: bundleText,
            files: files,
            now: now
        )
    }

    /// Checks credentials given as PEM text; `files` name the sources in errors.
    public init(
        certificatePEM: String,
        privateKeyPEM: String,
        trustBundlePEM: String,
        files: WorkloadCredentialFiles,
        now: Date = Date()
    ) throws(MeshError) {
        let certificatePath = files.certificate.path
        let chain = try Self.certificates(in: certificatePEM, file: certificatePath)
        let leaf = chain[0]
        let key = try Self.privateKey(in: privateKeyPEM, file: files.privateKey.path)
        guard key.publicKey == leaf.publicKey else {
            throw MeshError(
                .invalidConfiguration,
                "the private key does not match the certificate \(certificatePath) (serial \(leaf.serialNumber))",
                context: .init(file: files.privateKey.path)
            )
        }
        try CertificateValidity.check(leaf, now: now, file: certificatePath)
        self.identity = try Self.spiffeID(of: leaf, file: certificatePath)
        let bundle = try Self.certificates(in: trustBundlePEM, file: files.trustBundle.path)
        self.certificateChain = chain
        self.privateKey = key
        self.trustBundle = bundle
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.trustBundlePEM = trustBundlePEM
    }

    /// The one SPIFFE ID among the URI SANs of `certificate`; throws naming `file` when there
    /// is none, more than one, or it does not parse.
    public static func spiffeID(of certificate: Certificate, file: String) throws(MeshError) -> SPIFFEID {
        let uris = certificate.spiffeURIs
        guard uris.count == 1 else {
            let found = uris.isEmpty ? "none" : uris.joined(separator: ", ")
            throw MeshError(
                .invalidConfiguration,
                "the certificate (serial \(certificate.serialNumber)) must carry exactly one SPIFFE URI SAN (spiffe://…); found \(found)",
                context: .init(file: file)
            )
        }
        do {
            return try SPIFFEID(parsing: uris[0])
        } catch {
            throw MeshError(.invalidConfiguration, error.message, context: .init(file: file), underlying: error)
        }
    }

    private static func read(_ url: URL) throws(MeshError) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw MeshError(
                .invalidConfiguration,
                "the file could not be read: \(error.localizedDescription)",
                context: .init(file: url.path)
            )
        }
    }

    private static func certificates(in text: String, file: String) throws(MeshError) -> [Certificate] {
        var certificates: [Certificate] = []
        for document in try PEMFiles.documents(in: text, file: file) {
            guard document.discriminator == Certificate.defaultPEMDiscriminator else {
                throw MeshError(
                    .invalidConfiguration,
                    "malformed PEM: expected CERTIFICATE blocks, found '\(document.discriminator)'",
                    context: .init(file: file)
                )
            }
            do {
                certificates.append(try Certificate(pemDocument: document))
            } catch {
                throw MeshError(.invalidConfiguration, "malformed certificate: \(error)", context: .init(file: file), underlying: error)
            }
        }
        return certificates
    }

    private static func privateKey(in text: String, file: String) throws(MeshError) -> Certificate.PrivateKey {
        let documents = try PEMFiles.documents(in: text, file: file)
        // `openssl ecparam -genkey` writes an EC PARAMETERS block before the key.
        guard let document = documents.first(where: { $0.discriminator.hasSuffix("PRIVATE KEY") }) else {
            throw MeshError(.invalidConfiguration, "malformed PEM: the file holds no PRIVATE KEY block", context: .init(file: file))
        }
        do {
            return try Certificate.PrivateKey(pemDocument: document)
        } catch {
            // The error describes the encoding, never the key's bytes.
            throw MeshError(.invalidConfiguration, "malformed private key (\(document.discriminator))", context: .init(file: file))
        }
    }
}
