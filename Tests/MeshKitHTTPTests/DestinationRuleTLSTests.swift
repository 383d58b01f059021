import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import MeshKitTestSupport
import MeshKitTesting
import Testing

/// A DestinationRule's `tls.mode` `SIMPLE` and `MUTUAL`, loaded from YAML into a mesh whose HTTP
/// transport calls a real nginx over TLS: the rule's CA file verifies the server, its name is
/// checked (host name, `sni` or `subjectAltNames`), and under `MUTUAL` the rule's client
/// certificate is presented.
@Suite(.enabled(if: HTTPNginxServer.isAvailable, "nginx is not installed"))
struct DestinationRuleTLSTests {
    typealias Fixture = DestinationRuleTLSFixture

    @Test("SIMPLE: TLS to the endpoint, verified against caCertificates; another CA's bundle fails the call, never in plaintext")
    func simpleVerifiesAgainstTheRuleBundle() async throws {
        let fixture = try Fixture()
        try await fixture.withNginx { nginx in
            try await Fixture.withCaller(nginx, tls: fixture.simple) { mesh in
                let response = try await Fixture.get(mesh)
                #expect(response.status == .ok)
                #expect(response.text == Fixture.body)
                // ALPN happens over TLS only: the plain `http` endpoint was called over TLS.
                #expect(response.header("x-protocol") == "HTTP/2.0")
            }
            try await Fixture.withCaller(nginx, tls: fixture.tls(trusting: fixture.foreignBundle)) { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.httpTransportError?.code == .tlsFailure, "\(String(describing: error))")
            }
            #expect(try await nginx.requestsLogged(atLeast: 1) == 1, "the refused call never reached nginx")
        }
    }

    @Test("SIMPLE checks the host name: the endpoint's, or sni, sent while connecting to the endpoint's address")
    func simpleChecksTheHostNameOrSNI() async throws {
        let fixture = try Fixture()
        try await fixture.withNginx { nginx in
            // The certificate names localhost, not 127.0.0.1.
            try await Fixture.withCaller(nginx, host: "127.0.0.1", tls: fixture.simple) { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.httpTransportError?.code == .tlsFailure, "\(String(describing: error))")
            }
            let withSNI = fixture.simple + "\nsni: localhost"
            try await Fixture.withCaller(nginx, host: "127.0.0.1", tls: withSNI) { mesh in
                let response = try await Fixture.get(mesh)
                #expect(response.status == .ok)
                #expect(response.text == Fixture.body)
            }
            // An sni the certificate does not carry fails, though the address is the same.
            let wrongSNI = fixture.simple + "\nsni: elsewhere.example"
            try await Fixture.withCaller(nginx, host: "localhost", tls: wrongSNI) { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.httpTransportError?.code == .tlsFailure, "\(String(describing: error))")
            }
            // An sni that is no host name cannot be sent, nor stand in the URL.
            try await Fixture.withCaller(nginx, host: "localhost", tls: fixture.simple + "\nsni: \"local host:1\"") { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.code == .invalidConfiguration)
                #expect(error?.context.field == "trafficPolicy.tls.sni", "\(String(describing: error))")
            }
            #expect(try await nginx.requestsLogged(atLeast: 1) == 1)
        }
    }

    @Test("SIMPLE with subjectAltNames: a server lacking them all is refused before a byte is sent; a DNS or URI SAN it has is accepted")
    func simpleSubjectAltNames() async throws {
        let fixture = try Fixture()
        try await fixture.withNginx { nginx in
            let ca = fixture.simple + "\n"
            let absent = ca + "subjectAltNames: [other.example, \"spiffe://cluster.local/ns/default/sa/other\"]"
            try await Fixture.withCaller(nginx, tls: absent) { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.httpTransportError?.code == .peerIdentityMismatch, "\(String(describing: error))")
                #expect(error?.message.contains("other.example") == true)
                #expect(error?.message.contains("DNS:localhost") == true, "the message says what the server carries")
            }
            // The names replace the host name check: 127.0.0.1 is not in the certificate.
            try await Fixture.withCaller(nginx, host: "127.0.0.1", tls: ca + "subjectAltNames: [other.example, LOCALHOST]") { mesh in
                let response = try await Fixture.get(mesh)
                #expect(response.status == .ok)
            }
            let uri = ca + "subjectAltNames: [\"spiffe://cluster.local/ns/default/sa/product-service\"]"
            try await Fixture.withCaller(nginx, host: "127.0.0.1", tls: uri) { mesh in
                let response = try await Fixture.get(mesh)
                #expect(response.status == .ok)
            }
            #expect(try await nginx.requestsLogged(atLeast: 2) == 2, "the refused call sent nothing")
        }
    }

    @Test("MUTUAL presents the rule's client certificate; SIMPLE, with none, is not let in")
    func mutualPresentsTheClientCertificate() async throws {
        let fixture = try Fixture()
        try await fixture.withNginx(requiresClientCertificate: true) { nginx in
            try await Fixture.withCaller(nginx, tls: fixture.mutual()) { mesh in
                for _ in 0..<3 {
                    let response = try await Fixture.get(mesh)
                    #expect(response.status == .ok)
                    #expect(response.text == Fixture.body)
                    #expect(response.header("x-client-verify") == "SUCCESS")
                    #expect(response.header("x-client-subject")?.contains("CN=order-service") == true)
                }
            }
            try await Fixture.withCaller(nginx, tls: fixture.simple) { mesh in
                let response = try await Fixture.get(mesh)
                #expect(response.status != .ok)
                #expect(response.status.code == 400, "nginx answers 400 to a request without a client certificate")
                #expect(response.header("x-client-verify") == "NONE")
            }
        }
    }

    @Test("SIMPLE and MUTUAL never present the mesh's workload certificate nor check a SPIFFE ID")
    func neverTheMeshCredentials() async throws {
        let fixture = try Fixture()
        // Mesh credentials the server's CA issued: nginx would accept them if they were presented.
        let (_, workload) = try fixture.security.write("mesh-workload", into: "mesh")
        let meshTLS = HTTPInvocationTransport.Configuration(
            attemptTimeout: .seconds(5),
            mutualTLS: .init(credentials: try WorkloadCredentialsSource(files: workload))
        )
        try await fixture.withNginx(requiresClientCertificate: true) { nginx in
            // The server proves product-service, not `secure`: the SPIFFE check would refuse it.
            try await Fixture.withCaller(nginx, tls: fixture.simple, configuration: meshTLS) { mesh in
                let response = try await Fixture.get(mesh)
                #expect(response.status.code == 400)
                #expect(response.header("x-client-verify") == "NONE")
            }
            try await Fixture.withCaller(nginx, tls: fixture.mutual(), configuration: meshTLS) { mesh in
                let response = try await Fixture.get(mesh)
                #expect(response.status == .ok)
                #expect(response.header("x-client-subject")?.contains("CN=order-service") == true)
            }
            // Without caCertificates, the trust is not the mesh's bundle either.
            try await Fixture.withCaller(nginx, tls: "mode: SIMPLE", configuration: meshTLS) { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.httpTransportError?.code == .tlsFailure, "\(String(describing: error))")
            }
        }
    }

    @Test("MUTUAL without clientCertificate or privateKey fails with invalidConfiguration naming the app and the field")
    func mutualRequiresItsFiles() async throws {
        let fixture = try Fixture()
        try await fixture.withNginx(requiresClientCertificate: true) { nginx in
            let withoutCertificate = fixture.tls("MUTUAL") + "\nprivateKey: \"\(fixture.client.privateKey.path)\""
            try await Fixture.withCaller(nginx, tls: withoutCertificate) { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.code == .invalidConfiguration)
                #expect(error?.context.field == "trafficPolicy.tls.clientCertificate")
                #expect(error?.message.contains("'\(Fixture.appID)'") == true)
                #expect(error?.message.contains("clientCertificate") == true, "\(String(describing: error))")
            }
            let withoutKey = fixture.tls("MUTUAL") + "\nclientCertificate: \"\(fixture.client.certificate.path)\""
            try await Fixture.withCaller(nginx, tls: withoutKey) { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.code == .invalidConfiguration)
                #expect(error?.context.field == "trafficPolicy.tls.privateKey")
                #expect(error?.message.contains("privateKey") == true, "\(String(describing: error))")
            }
            #expect(try nginx.requestCount() == 0)
        }
    }

    @Test("an unreadable or malformed file fails the call, unsent, naming the file")
    func unusableFiles() async throws {
        let fixture = try Fixture()
        let missing = fixture.security.folder.appendingPathComponent("missing.pem").path
        let malformed = try fixture.file("malformed.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
        let notAKey = fixture.client.certificate.path
        let cases: [(tls: String, file: String, field: String)] = [
            (fixture.tls(trusting: missing), missing, "tls.caCertificates"),
            (fixture.tls(trusting: malformed), malformed, "tls.caCertificates"),
            (fixture.mutual(certificate: malformed), malformed, "tls.clientCertificate"),
            (fixture.mutual(privateKey: notAKey), notAKey, "tls.privateKey"),
        ]
        try await fixture.withNginx(requiresClientCertificate: true) { nginx in
            for (tls, file, field) in cases {
                try await Fixture.withCaller(nginx, tls: tls) { mesh in
                    let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                    #expect(error?.code == .invalidConfiguration, "\(String(describing: error))")
                    #expect(error?.httpTransportError?.code == .tlsFileUnusable)
                    #expect(error?.message.contains("'\(file)'") == true, "\(String(describing: error))")
                    #expect(error?.message.contains(field) == true, "\(String(describing: error))")
                }
            }
            #expect(try nginx.requestCount() == 0)
        }
    }

    @Test("a caCertificates file replaced on disk is read again by the next call")
    func changedFileIsReadAgain() async throws {
        let fixture = try Fixture()
        let bundle = try fixture.file("rotating.pem", try fixture.security.foreignCA.certificatePEM)
        try await fixture.withNginx { nginx in
            try await Fixture.withCaller(nginx, tls: fixture.tls(trusting: bundle)) { mesh in
                let error = await #expect(throws: MeshError.self) { try await Fixture.get(mesh) }
                #expect(error?.httpTransportError?.code == .tlsFailure, "\(String(describing: error))")
                try Fixture.write(try fixture.security.ca.certificatePEM, to: bundle)
                let response = try await Fixture.get(mesh)
                #expect(response.status == .ok)
            }
        }
    }
}
