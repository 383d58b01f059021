import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import MeshKitTesting
import Synchronization
import Testing

/// Third-party clients (curl and openssl s_client) against a MeshHTTPServer under STRICT mTLS.
@Suite("Security inbound mTLS")
struct SecurityInboundTests {
    private func withStrictServer<T: Sendable>(
        _ fixture: SecurityFixture,
        mode: PeerAuthenticationMode = .strict,
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let (_, serverFiles) = try fixture.write("product-service", into: "server")
        let credentials = try WorkloadCredentialsSource(files: serverFiles)
        let mesh = try await SecurityFixture.peerMesh(appID: "product-service")
        return try await withServer(mesh: mesh, configuration: .init(tls: .init(credentials: credentials, mode: mode)), body)
    }

    private func curl(_ port: Int, _ files: WorkloadCredentialFiles, client: WorkloadCredentialFiles?) async throws -> String {
        let certificate = client.map { "--cert \($0.certificate.path) --key \($0.privateKey.path)" } ?? ""
        return try await shell(
            "curl -sS --max-time 5 --cacert \(files.trustBundle.path) \(certificate) https://localhost:\(port)/v1.0/invoke/product-service/method/peer"
        )
    }

    private func sClient(_ port: Int, _ files: WorkloadCredentialFiles, client: WorkloadCredentialFiles?) async throws -> String {
        let certificate = client.map { "-cert \($0.certificate.path) -key \($0.privateKey.path)" } ?? ""
        return try await shell(
            "printf 'GET /v1.0/invoke/product-service/method/peer HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' | "
                + "timeout 5 openssl s_client -quiet -connect 127.0.0.1:\(port) -CAfile \(files.trustBundle.path) \(certificate)"
        )
    }

    @Test("A client with a mesh certificate gets through, and the handler sees its SPIFFE ID")
    func validClient() async throws {
        let fixture = try SecurityFixture()
        let (_, client) = try fixture.write("order-service", into: "client")
        try await withStrictServer(fixture) { port in
            let viaCurl = try await curl(port, client, client: client)
            #expect(viaCurl == "spiffe://cluster.local/ns/default/sa/order-serviceEXIT=0", "\(viaCurl)")
            let viaOpenSSL = try await sClient(port, client, client: client)
            #expect(viaOpenSSL.contains("HTTP/1.1 200"), "\(viaOpenSSL)")
            #expect(viaOpenSSL.contains("spiffe://cluster.local/ns/default/sa/order-service"))
        }
    }

    @Test("No client certificate, a foreign CA's and an expired one are refused at the handshake")
    func refusals() async throws {
        let fixture = try SecurityFixture()
        let (_, foreign) = try fixture.write("order-service", into: "foreign", foreign: true)
        let (_, expired) = try fixture.write(
            "order-service",
            into: "expired",
            lifetime: .seconds(3600),
            notValidBefore: Date().addingTimeInterval(-7200)
        )
        try await withStrictServer(fixture) { port in
            for (name, client) in [("no certificate", nil), ("foreign CA", foreign), ("expired", expired)]
                as [(String, WorkloadCredentialFiles?)]
            {
                let files = client ?? foreign
                let viaCurl = try await curl(port, files, client: client)
                #expect(!viaCurl.hasSuffix("EXIT=0") && !viaCurl.contains("spiffe://"), "\(name): \(viaCurl)")
                let viaOpenSSL = try await sClient(port, files, client: client)
                #expect(!viaOpenSSL.contains("HTTP/1.1"), "\(name): \(viaOpenSSL)")
                #expect(viaOpenSSL.contains("alert"), "\(name): \(viaOpenSSL)")
            }
        }
    }

    @Test("Plaintext is refused under STRICT")
    func plaintextUnderStrict() async throws {
        let fixture = try SecurityFixture()
        try await withStrictServer(fixture) { port in
            let plain = try await shell("curl -sS --max-time 5 http://127.0.0.1:\(port)/v1.0/healthz -o /dev/null -w '%{http_code}'")
            #expect(!plain.hasSuffix("EXIT=0"), "\(plain)")
            #expect(!plain.contains("204"))
        }
    }

    @Test("PERMISSIVE serves plaintext and mTLS on one port; only mTLS requests carry an identity")
    func permissive() async throws {
        let fixture = try SecurityFixture()
        let (_, client) = try fixture.write("order-service", into: "client")
        try await withStrictServer(fixture, mode: .permissive) { port in
            let plain = try await shell("curl -sS --max-time 5 http://127.0.0.1:\(port)/v1.0/invoke/product-service/method/peer")
            #expect(plain == "noneEXIT=0", "\(plain)")
            let secure = try await curl(port, client, client: client)
            #expect(secure == "spiffe://cluster.local/ns/default/sa/order-serviceEXIT=0", "\(secure)")
        }
    }
}
