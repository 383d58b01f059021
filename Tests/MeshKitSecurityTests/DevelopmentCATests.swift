import Foundation
import MeshKit
import MeshKitSecurity
import MeshKitTesting
import Testing

@Suite("Security development CA")
struct DevelopmentCATests {
    @Test("openssl verifies an issued certificate against the root and shows the SPIFFE URI SAN")
    func opensslAcceptsIssuedCertificates() async throws {
        let test = try SecurityTestCA()
        let (issued, files) = try test.write("order-service", into: "order")
        let verified = try await TestCommand.run("/usr/bin/openssl", ["verify", "-CAfile", files.trustBundle.path, files.certificate.path])
        #expect(verified.hasSuffix(": OK"))
        let text = try await TestCommand.run("/usr/bin/openssl", ["x509", "-in", files.certificate.path, "-noout", "-text"])
        #expect(text.contains("URI:spiffe://cluster.local/ns/default/sa/order-service"))
        #expect(text.contains("ASN1 OID: prime256v1"))
        #expect(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
        let serial = try await TestCommand.run("/usr/bin/openssl", ["x509", "-in", files.certificate.path, "-noout", "-serial"])
        #expect(serial.lowercased() == "serial=\(issued.serialHex)")
        // The key is one openssl reads, and it is the certificate's.
        let keyModulus = try await TestCommand.run("/usr/bin/openssl", ["pkey", "-in", files.privateKey.path, "-pubout"])
        let certificateKey = try await TestCommand.run("/usr/bin/openssl", ["x509", "-in", files.certificate.path, "-noout", "-pubkey"])
        #expect(keyModulus == certificateKey)
        let mode = try FileManager.default.attributesOfItem(atPath: files.privateKey.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("A workload certificate lives 24 hours by default; Dapr's form is issued on request")
    func lifetimeAndDaprForm() throws {
        let ca = try DevelopmentCA.create()
        let issued = try ca.issue(for: try SPIFFEID(trustDomain: "public", namespace: "default", appID: "checkout"))
        let lifetime = issued.certificate.notValidAfter.timeIntervalSince(issued.certificate.notValidBefore)
        #expect(lifetime == 24 * 3600)
        #expect(issued.certificate.spiffeURIs == ["spiffe://public/ns/default/checkout"])
    }

    @Test("A CA written to files loads back and issues certificates the same root verifies")
    func caRoundTrip() async throws {
        let test = try SecurityTestCA()
        try test.ca.write(to: test.folder.appendingPathComponent("ca"))
        let loaded = try DevelopmentCA.load(from: test.folder.appendingPathComponent("ca"))
        #expect(loaded.certificate == test.ca.certificate)
        let files = try loaded.issue(for: try SecurityTestCA.identity("a")).write(
            to: test.folder.appendingPathComponent("a"),
            bundle: test.ca
        )
        let verified = try await TestCommand.run("/usr/bin/openssl", ["verify", "-CAfile", files.trustBundle.path, files.certificate.path])
        #expect(verified.hasSuffix(": OK"))
    }
}
