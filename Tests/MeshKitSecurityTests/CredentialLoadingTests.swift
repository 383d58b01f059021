import Crypto
import Foundation
import MeshKit
import MeshKitSecurity
import Testing
import X509

@Suite("Security credential loading")
struct CredentialLoadingTests {
    @Test("Valid files load, with the identity of the URI SAN")
    func loads() throws {
        let test = try SecurityTestCA()
        let (_, files) = try test.write("order-service", into: "ok")
        let credentials = try WorkloadCredentials.load(from: files)
        #expect(credentials.identity.principal == "cluster.local/ns/default/sa/order-service")
        #expect(!credentials.description.contains("PRIVATE"))
    }

    @Test("Malformed PEM is refused naming the file")
    func malformedPEM() throws {
        let test = try SecurityTestCA()
        let (_, files) = try test.write("a", into: "bad")
        try "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".write(
            to: files.certificate,
            atomically: true,
            encoding: .utf8
        )
        expectRefusal(files, file: files.certificate, saying: "malformed")
        try "just text".write(to: files.certificate, atomically: true, encoding: .utf8)
        expectRefusal(files, file: files.certificate, saying: "no PEM block")
    }

    @Test("A key that is not the certificate's is refused naming the key file")
    func keyMismatch() throws {
        let test = try SecurityTestCA()
        let (_, files) = try test.write("a", into: "a")
        let (_, other) = try test.write("b", into: "b")
        try FileManager.default.removeItem(at: files.privateKey)
        try FileManager.default.copyItem(at: other.privateKey, to: files.privateKey)
        expectRefusal(files, file: files.privateKey, saying: "does not match")
    }

    @Test("Expired and not-yet-valid certificates are refused naming the file")
    func validityWindow() throws {
        let test = try SecurityTestCA()
        let (_, expired) = try test.write("a", into: "expired", lifetime: .seconds(3600), notValidBefore: Date().addingTimeInterval(-7200))
        expectRefusal(expired, file: expired.certificate, saying: "has expired")
        let (_, future) = try test.write("a", into: "future", notValidBefore: Date().addingTimeInterval(3600))
        expectRefusal(future, file: future.certificate, saying: "not valid yet")
    }

    @Test("A certificate without a SPIFFE URI SAN is refused naming the file")
    func noSPIFFE() throws {
        let test = try SecurityTestCA()
        let (_, files) = try test.write("a", into: "nospiffe")
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: [1, 2, 3]),
            publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(3600),
            issuer: test.ca.certificate.subject,
            subject: try DistinguishedName { CommonName("no-spiffe") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { SubjectAlternativeNames([.dnsName("example.com")]) },
            issuerPrivateKey: .init(test.ca.privateKey)
        )
        try certificate.serializeAsPEM().pemString.write(to: files.certificate, atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(to: files.privateKey, atomically: true, encoding: .utf8)
        expectRefusal(files, file: files.certificate, saying: "SPIFFE URI SAN")
    }

    @Test("A rotation is picked up; a set caught half-way is ignored until it is whole")
    func rotation() throws {
        let test = try SecurityTestCA()
        let (first, files) = try test.write("a", into: "rot")
        let source = try WorkloadCredentialsSource(files: files, pollInterval: .milliseconds(10))
        #expect(source.current.certificate.serialNumber == first.certificate.serialNumber)
        #expect(!source.reload())
        let second = try test.ca.issue(for: try SecurityTestCA.identity("a"))
        try second.certificatePEM.write(to: files.certificate, atomically: true, encoding: .utf8)
        #expect(!source.reload())  // new certificate, old key
        #expect(source.snapshot.generation == 0)
        try second.privateKeyPEM.write(to: files.privateKey, atomically: true, encoding: .utf8)
        #expect(source.reload())
        #expect(source.snapshot.generation == 1)
        #expect(source.current.certificate.serialNumber == second.certificate.serialNumber)
    }

    private func expectRefusal(
        _ files: WorkloadCredentialFiles,
        file: URL,
        saying text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try WorkloadCredentials.load(from: files)
            Issue.record("loaded", sourceLocation: sourceLocation)
        } catch {
            #expect(error.context.file == file.path, sourceLocation: sourceLocation)
            #expect(error.message.contains(text), "\(error.message)", sourceLocation: sourceLocation)
        }
    }
}
