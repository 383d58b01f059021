public import Crypto
public import Foundation
public import MeshKit
public import X509

/// A certificate authority for development and tests: an ECDSA P-256 root that issues workload
/// certificates (X.509-SVIDs) with a SPIFFE URI SAN, as Istio's CA and Dapr's Sentry do, written
/// as PEM files that OpenSSL, curl and MeshKit accept.
///
/// ```swift
/// let ca = try DevelopmentCA.create()
/// let identity = try SPIFFEID(trustDomain: "cluster.local", namespace: "default", serviceAccount: "order-service")
/// let issued = try ca.issue(for: identity)
/// try issued.write(to: URL(fileURLWithPath: "certs/order-service"), bundle: ca)
/// ```
///
/// It keeps its key in memory and in a PEM file of its own; it is no substitute for a
/// production CA (no revocation, no key protection).
public struct DevelopmentCA: Sendable {
    /// The root certificate: what the trust bundle holds.
    public let certificate: Certificate
    /// The root's private key.
    public let privateKey: P256.Signing.PrivateKey

    /// The default lifetime of a workload certificate: 24 hours, as Istio's.
    public static let defaultWorkloadLifetime: Duration = .seconds(24 * 3600)
    /// The default lifetime of a root: one year.
    public static let defaultRootLifetime: Duration = .seconds(365 * 24 * 3600)

    /// An existing CA, from its certificate and key.
    public init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Creates a new self-signed root with a fresh P-256 key, valid from a minute ago (to allow
    /// for clock skew) for `lifetime`.
    public static func create(
        commonName: String = "MeshKit development root CA",
        lifetime: Duration = defaultRootLifetime,
        now: Date = Date()
    ) throws(MeshError) -> DevelopmentCA {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        do {
            let name = try DistinguishedName {
                OrganizationName("MeshKit")
                CommonName(commonName)
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: .random(),
                publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-60),
                notValidAfter: now.addingTimeInterval(lifetime.seconds),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: publicKey)
                },
                issuerPrivateKey: Certificate.PrivateKey(key)
            )
            return DevelopmentCA(certificate: certificate, privateKey: key)
        } catch {
            throw MeshError(.componentInitFailed, "the development CA could not create its root: \(error)", underlying: error)
        }
    }

    /// Issues a workload certificate for `identity` with a fresh P-256 key: the identity is the
    /// certificate's only URI SAN, the key usages are digital signature and key encipherment,
    /// the extended key usages server and client authentication (so one certificate serves
    /// both directions of mTLS). Valid from `notValidBefore` (a minute ago by default) for
    /// `lifetime`; a past window makes an expired certificate, for tests. `dnsNames` adds DNS
    /// SANs, for clients such as curl that check a host name (mesh peers check the SPIFFE ID).
    public func issue(
        for identity: SPIFFEID,
        lifetime: Duration = defaultWorkloadLifetime,
        notValidBefore: Date = Date().addingTimeInterval(-60),
        dnsNames: [String] = []
    ) throws(MeshError) -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        do {
            let certificate = try Certificate(
                version: .v3,
                serialNumber: .random(),
                publicKey: publicKey,
                notValidBefore: notValidBefore,
                notValidAfter: notValidBefore.addingTimeInterval(lifetime.seconds),
                issuer: self.certificate.subject,
                subject: try DistinguishedName {
                    OrganizationName("MeshKit")
                    CommonName(identity.workloadName)
                },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    try ExtendedKeyUsage([.serverAuth, .clientAuth])
                    SubjectAlternativeNames([.uniformResourceIdentifier(identity.uri)] + dnsNames.map { .dnsName($0) })
                    SubjectKeyIdentifier(hash: publicKey)
                    AuthorityKeyIdentifier(keyIdentifier: try self.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
                },
                issuerPrivateKey: Certificate.PrivateKey(privateKey)
            )
            return IssuedCertificate(certificate: certificate, privateKey: key, identity: identity)
        } catch {
            throw MeshError(
                .componentInitFailed,
                "the development CA could not issue a certificate for \(identity): \(error)",
                underlying: error
            )
        }
    }
}

extension Certificate.SerialNumber {
    /// A random, positive 128-bit serial number, as RFC 5280 recommends (at most 20 bytes,
    /// unpredictable).
    static func random() -> Certificate.SerialNumber {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = (bytes[0] & 0x7f) | 0x01
        return Certificate.SerialNumber(bytes: bytes)
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
