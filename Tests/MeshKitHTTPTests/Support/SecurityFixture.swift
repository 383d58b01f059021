import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import MeshKitTesting
import Synchronization

/// A mesh CA, a foreign CA and a folder of certificates, for the mTLS tests.
struct SecurityFixture {
    let ca: DevelopmentCA
    let foreignCA: DevelopmentCA
    let folder: URL

    init() throws {
        ca = try DevelopmentCA.create()
        foreignCA = try DevelopmentCA.create(commonName: "Foreign CA")
        folder = URL(fileURLWithPath: try ResourceFolder().path)
    }

    static func identity(_ name: String, namespace: String = "default") throws -> SPIFFEID {
        try SPIFFEID(trustDomain: "cluster.local", namespace: namespace, serviceAccount: name)
    }

    /// Issues a certificate for the service account `name` of `namespace` (by the foreign CA when
    /// `foreign`) with a `localhost` DNS SAN for curl, and writes it with the mesh's root as
    /// bundle into `sub`.
    @discardableResult
    func write(
        _ name: String,
        into sub: String,
        namespace: String = "default",
        foreign: Bool = false,
        lifetime: Duration = DevelopmentCA.defaultWorkloadLifetime,
        notValidBefore: Date = Date().addingTimeInterval(-60)
    ) throws -> (IssuedCertificate, WorkloadCredentialFiles) {
        let issuer = foreign ? foreignCA : ca
        let issued = try issuer.issue(
            for: try Self.identity(name, namespace: namespace),
            lifetime: lifetime,
            notValidBefore: notValidBefore,
            dnsNames: ["localhost"]
        )
        return (issued, try issued.write(to: folder.appendingPathComponent(sub), bundle: ca))
    }

    /// A mesh for `appID` whose `peer` method answers the caller's SPIFFE ID (`none` without one)
    /// and counts its calls.
    static func peerMesh(appID: String, calls: CallCounter? = nil) async throws -> Mesh {
        let mesh = try await Mesh(appID: appID, configuration: .testing())
        mesh.handleInvocation("peer") { request in
            calls?.count.withLock { $0 += 1 }
            return .text(request.peerIdentity?.spiffeID.uri ?? "none")
        }
        return mesh
    }

    /// A caller transport with mTLS from `files`.
    static func transport(
        _ files: WorkloadCredentialFiles,
        endpoints: [String: [Endpoint]],
        expected: [String: SPIFFEID] = [:],
        sessionResumption: Bool = true
    ) throws -> HTTPInvocationTransport {
        let credentials = try WorkloadCredentialsSource(files: files)
        return try HTTPInvocationTransport(
            resolver: StaticNameResolver(endpoints),
            configuration: .init(
                attemptTimeout: .seconds(5),
                mutualTLS: .init(credentials: credentials, expectedIdentities: expected, sessionResumption: sessionResumption)
            )
        )
    }
}

/// Runs `/bin/sh -c script` and returns its standard output and error together, whatever its
/// exit status, with `EXIT=<status>` appended (right after the output, which curl ends without
/// a newline when the body has none).
func shell(_ script: String) async throws -> String {
    try await TestCommand.run("/bin/sh", ["-c", "(\(script)) 2>&1; echo EXIT=$?"])
}

/// How many calls a handler received.
final class CallCounter: Sendable {
    let count = Mutex(0)
}
