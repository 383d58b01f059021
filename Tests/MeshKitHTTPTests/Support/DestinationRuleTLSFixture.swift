import Foundation
import HTTPTypes
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import MeshKitTestSupport
import MeshKitTesting

/// Certificates, an nginx over TLS and callers under a DestinationRule's `tls`, for the
/// `SIMPLE` and `MUTUAL` tests: the server's certificate is issued by the fixture's CA for
/// `spiffe://cluster.local/ns/default/sa/product-service` with the DNS SAN `localhost` (and no
/// IP SAN), the client's for `order-service`.
struct DestinationRuleTLSFixture {
    let security: SecurityFixture
    /// The server's certificate and key; `trustBundle` is the CA's root.
    let server: WorkloadCredentialFiles
    /// A client certificate and key the CA issued.
    let client: WorkloadCredentialFiles
    /// A bundle of another CA's root, which verifies neither.
    let foreignBundle: String

    /// The app ID the DestinationRule's `host` names.
    static let appID = "secure"
    static let body = "hello over originated TLS"

    init() throws {
        security = try SecurityFixture()
        (_, server) = try security.write("product-service", into: "server")
        (_, client) = try security.write("order-service", into: "client")
        foreignBundle = security.folder.appendingPathComponent("foreign.pem").path
        try Self.write(try security.foreignCA.certificatePEM, to: foreignBundle)
    }

    /// The path of the CA's root bundle.
    var bundle: String { server.trustBundle.path }

    /// The `tls` YAML of `mode` with `caCertificates` naming `trusted` (``bundle`` by default).
    func tls(_ mode: String = "SIMPLE", trusting trusted: String? = nil) -> String {
        "mode: \(mode)\ncaCertificates: \"\(trusted ?? bundle)\""
    }

    /// The `tls` YAML of `SIMPLE` trusting ``bundle``.
    var simple: String { tls() }

    /// The `tls` YAML of `MUTUAL` trusting ``bundle``, presenting `certificate` and `privateKey`
    /// (the ``client``'s by default).
    func mutual(certificate: String? = nil, privateKey: String? = nil) -> String {
        tls("MUTUAL") + "\nclientCertificate: \"\(certificate ?? client.certificate.path)\""
            + "\nprivateKey: \"\(privateKey ?? client.privateKey.path)\""
    }

    /// Writes `text` to `path` atomically (a new inode, as a Kubernetes secret update).
    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// A file named `name` in the fixture's folder holding `text`.
    func file(_ name: String, _ text: String) throws -> String {
        let path = security.folder.appendingPathComponent(name).path
        try Self.write(text, to: path)
        return path
    }

    /// Runs `body` with an nginx serving `hello.txt` over TLS with the server's certificate,
    /// requiring a client certificate the CA issued when `requiresClientCertificate`.
    func withNginx<T: Sendable>(requiresClientCertificate: Bool = false, _ body: (HTTPNginxServer) async throws -> T) async throws -> T {
        let files = HTTPNginxServer.TLSFiles(
            certificate: server.certificate.path,
            privateKey: server.privateKey.path,
            clientCA: requiresClientCertificate ? bundle : nil
        )
        return try await HTTPNginxServer.withServer(files: ["hello.txt": Data(Self.body.utf8)], tlsFiles: files, body)
    }

    /// A DestinationRule for ``appID`` whose `trafficPolicy.tls` is the YAML `tls`.
    static func rule(_ tls: String) throws -> ResourceSet {
        try TrafficFixtures.parse(
            """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: { name: secure }
            spec:
              host: \(appID)
              trafficPolicy:
                tls:
            \(tls.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            """
        )
    }

    /// A caller mesh under the DestinationRule whose `tls` is `tls`, reaching ``appID`` at
    /// `host` on nginx's port over a plain `http` endpoint (the rule makes it TLS), runs `body`
    /// with it, then shuts the transport down.
    static func withCaller<T: Sendable>(
        _ nginx: HTTPNginxServer,
        host: String = "localhost",
        tls: String,
        configuration: HTTPInvocationTransport.Configuration = .init(attemptTimeout: .seconds(5)),
        _ body: (Mesh) async throws -> T
    ) async throws -> T {
        let endpoint = Endpoint(host: host, port: nginx.port, style: .direct)
        let (mesh, transport) = try await Peers.caller(
            endpoints: [appID: [endpoint]],
            configuration: configuration,
            resources: try rule(tls)
        )
        do {
            let result = try await body(mesh)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    /// GETs `hello.txt` from ``appID``.
    static func get(_ mesh: Mesh) async throws -> InvocationResponse {
        try await mesh.invoke(appID: appID, method: "hello.txt", httpMethod: .get)
    }
}

extension InvocationResponse {
    /// The response header `name`.
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }
}

extension HTTPNginxServer {
    /// Waits until nginx has logged at least `count` requests, then returns how many it logged:
    /// a request sent earlier than the last one answered is logged before it.
    func requestsLogged(atLeast count: Int) async throws -> Int {
        try await eventually(timeout: .seconds(5), "nginx logged \(count) requests") { try requestCount() >= count }
        return try requestCount()
    }
}
