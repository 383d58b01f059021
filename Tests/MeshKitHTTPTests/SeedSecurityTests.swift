import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import MeshKitTesting
import Testing

/// The original brief's `peerauthentication.yaml` and `authorizationpolicy.yaml`, loaded unchanged
/// into a mesh whose server has workload credentials but names no mode: the PeerAuthentication
/// makes it STRICT, and the AuthorizationPolicy decides on the identity of real client
/// certificates that curl presents.
@Suite("The seed's PeerAuthentication and AuthorizationPolicy over real mTLS")
struct SeedSecurityTests {
    static func seedResources() throws -> ResourceSet {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { url.deleteLastPathComponent() }
        let folder = url.appendingPathComponent("Fixtures/seed-istio")
        var resources = try ResourceLoader.load(file: folder.appendingPathComponent("peerauthentication.yaml").path)
        resources.merge(try ResourceLoader.load(file: folder.appendingPathComponent("authorizationpolicy.yaml").path))
        return resources
    }

    /// product-service in my-app with the seed's resources (plus `extra`), answering the paths
    /// the policy names.
    static func seedMesh(extra: ResourceSet = ResourceSet()) async throws -> Mesh {
        var resources = try seedResources()
        resources.merge(extra)
        var configuration = MeshConfiguration.testing(resources: resources)
        configuration.namespace = "my-app"
        let mesh = try await Mesh(appID: "product-service", configuration: configuration)
        mesh.handleInvocation("api/products/{id}") { request in .text(request.peerIdentity?.spiffeID.uri ?? "none") }
        mesh.handleInvocation("health/{probe}") { _ in .text("healthy") }
        mesh.handleInvocation("admin") { _ in .text("admin") }
        return mesh
    }

    /// Status and body of one curl call with the client certificate of `client` (none when `nil`).
    static func call(
        _ scheme: String,
        port: Int,
        method: String,
        path: String,
        client: WorkloadCredentialFiles?,
        bundle: WorkloadCredentialFiles
    ) async throws -> String {
        let certificate = client.map { "--cert \($0.certificate.path) --key \($0.privateKey.path)" } ?? ""
        return try await shell(
            "curl -sS --max-time 5 --path-as-is -X \(method) --cacert \(bundle.trustBundle.path) \(certificate) -w ' %{http_code}' "
                + "\(scheme)://localhost:\(port)/v1.0/invoke/product-service/method/\(path)"
        )
    }

    @Test("the table: only order-service may GET and POST /api/products/*, anyone GET /health/*, the rest 403, plaintext refused")
    func seedTable() async throws {
        let fixture = try SecurityFixture()
        let (_, server) = try fixture.write("product-service", into: "server", namespace: "my-app")
        let (_, order) = try fixture.write("order-service", into: "order", namespace: "my-app")
        let (_, payment) = try fixture.write("payment-service", into: "payment", namespace: "my-app")
        let (_, orderElsewhere) = try fixture.write("order-service", into: "other", namespace: "other")
        let mesh = try await Self.seedMesh()
        #expect(mesh.peerAuthentication(port: 3500) == EffectiveMTLS(mode: .strict, policy: "my-app/default"))
        let configuration = MeshHTTPServer.Configuration(tls: .init(credentials: try WorkloadCredentialsSource(files: server)))
        try await withServer(mesh: mesh, configuration: configuration) { port in
            let table: [(WorkloadCredentialFiles?, String, String, String)] = [
                (order, "GET", "api/products/1", "spiffe://cluster.local/ns/my-app/sa/order-service 200"),
                (order, "POST", "api/products/1", "spiffe://cluster.local/ns/my-app/sa/order-service 200"),
                (order, "DELETE", "api/products/1", "RBAC: access denied 403"),
                (order, "GET", "api/products/../../admin", "RBAC: access denied 403"),
                (order, "GET", "admin", "RBAC: access denied 403"),
                (payment, "GET", "api/products/1", "RBAC: access denied 403"),
                (orderElsewhere, "GET", "api/products/1", "RBAC: access denied 403"),
                (payment, "GET", "health/live", "healthy 200"),
                (payment, "POST", "health/live", "RBAC: access denied 403"),
            ]
            for (client, method, path, expected) in table {
                let answer = try await Self.call("https", port: port, method: method, path: path, client: client, bundle: server)
                #expect(answer == "\(expected)EXIT=0", "\(client?.certificate.lastPathComponent ?? "-") \(method) \(path)")
            }
            let noCertificate = try await Self.call("https", port: port, method: "GET", path: "health/live", client: nil, bundle: server)
            #expect(!noCertificate.hasSuffix("EXIT=0"), "STRICT requires a client certificate: \(noCertificate)")
            let plaintext = try await Self.call("http", port: port, method: "GET", path: "health/live", client: nil, bundle: server)
            #expect(!plaintext.contains("healthy") && !plaintext.hasSuffix("EXIT=0"), "STRICT refuses plaintext: \(plaintext)")
        }
    }

    @Test("a server the PeerAuthentication makes STRICT but that has no TLS configuration does not start, and says why")
    func strictWithoutCredentials() async throws {
        let mesh = try await Self.seedMesh()
        let server = MeshHTTPServer(mesh: mesh, configuration: .init(host: "127.0.0.1", port: 0))
        let error = await #expect(throws: MeshError.self) { try await server.run() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("PeerAuthentication 'my-app/default'") == true, "\(error?.message ?? "")")
        await #expect(throws: MeshError.self) { _ = try await server.boundPort() }
    }

    @Test("portLevelMtls opens one port of the workload to plaintext while the namespace stays STRICT")
    func portLevelPermissive() async throws {
        let port = try LoopbackPort.free()
        let fixture = try SecurityFixture()
        let (_, server) = try fixture.write("product-service", into: "server", namespace: "my-app")
        let (_, order) = try fixture.write("order-service", into: "order", namespace: "my-app")
        let portLevel = try ResourceLoader.parse(
            yaml: """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: product-health, namespace: my-app}
                spec:
                  selector: {matchLabels: {app: product-service}}
                  portLevelMtls:
                    \(port): {mode: PERMISSIVE}
                """,
            file: "port-level.yaml"
        )
        let mesh = try await Self.seedMesh(extra: portLevel)
        #expect(mesh.peerAuthentication(port: port) == EffectiveMTLS(mode: .permissive, policy: "my-app/product-health"))
        #expect(mesh.peerAuthentication(port: port + 1).mode == .strict, "the workload's policy sets no mode; the namespace's applies")
        let configuration = MeshHTTPServer.Configuration(tls: .init(credentials: try WorkloadCredentialsSource(files: server)))
        try await withServer(mesh: mesh, configuration: configuration, port: port) { port in
            let plaintext = try await Self.call("http", port: port, method: "GET", path: "health/live", client: nil, bundle: server)
            #expect(plaintext == "healthy 200EXIT=0")
            let mutual = try await Self.call("https", port: port, method: "GET", path: "api/products/1", client: order, bundle: server)
            #expect(mutual == "spiffe://cluster.local/ns/my-app/sa/order-service 200EXIT=0")
        }
    }
}
