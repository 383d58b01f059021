import Foundation
import MeshKitSecurity
import Synchronization

/// What one transfer over the mesh's own mTLS needs (``TransferTLS/mesh(_:)``): the PEM bytes
/// libcurl presents and trusts (copied into the handle as blobs), and the identity the peer must
/// prove.
struct CurlTLS: Sendable {
    let material: Material
    let expected: ExpectedPeer
    let sessionResumption: Bool

    /// The PEM bytes of one generation of credentials.
    final class Material: Sendable {
        let generation: Int
        let certificate: Data
        let privateKey: Data
        let trustBundle: Data

        init(_ snapshot: WorkloadCredentialsSource.Snapshot) {
            generation = snapshot.generation
            certificate = Data(snapshot.credentials.certificatePEM.utf8)
            privateKey = Data(snapshot.credentials.privateKeyPEM.utf8)
            trustBundle = Data(snapshot.credentials.trustBundlePEM.utf8)
        }
    }

    /// The material of the credentials in force, made again only when they rotate.
    final class MaterialCache: Sendable {
        private let source: WorkloadCredentialsSource
        private let cached: Mutex<Material?> = Mutex(nil)

        init(source: WorkloadCredentialsSource) {
            self.source = source
        }

        func current() -> (Material, WorkloadCredentialsSource.Snapshot) {
            let snapshot = source.snapshot
            if let material = cached.withLock({ $0 }), material.generation == snapshot.generation { return (material, snapshot) }
            let material = Material(snapshot)
            cached.withLock { $0 = material }
            return (material, snapshot)
        }
    }
}
