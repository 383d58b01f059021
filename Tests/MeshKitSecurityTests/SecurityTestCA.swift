import Foundation
import MeshKit
import MeshKitSecurity
import MeshKitTesting

/// A development CA and a folder to write its files into.
struct SecurityTestCA {
    let ca: DevelopmentCA
    let folder: URL

    init() throws {
        ca = try DevelopmentCA.create()
        folder = URL(fileURLWithPath: try ResourceFolder().path)
    }

    static func identity(_ name: String) throws -> SPIFFEID {
        try SPIFFEID(trustDomain: "cluster.local", namespace: "default", serviceAccount: name)
    }

    /// Issues a certificate for `name` and writes it with the root as bundle into `folder/sub`.
    func write(
        _ name: String,
        into sub: String,
        lifetime: Duration = DevelopmentCA.defaultWorkloadLifetime,
        notValidBefore: Date = Date().addingTimeInterval(-60)
    ) throws -> (IssuedCertificate, WorkloadCredentialFiles) {
        let issued = try ca.issue(for: try Self.identity(name), lifetime: lifetime, notValidBefore: notValidBefore)
        return (issued, try issued.write(to: folder.appendingPathComponent(sub), bundle: ca))
    }
}
