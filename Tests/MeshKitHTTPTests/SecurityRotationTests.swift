import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import MeshKitTesting
import Synchronization
import Testing

@Suite("Security certificate rotation")
struct SecurityRotationTests {
    @Test("Files replaced during a load loop: no call fails, new connections present the new certificate")
    func rotationUnderLoad() async throws {
        let fixture = try SecurityFixture()
        let (first, serverFiles) = try fixture.write("product-service", into: "server")
        let (_, clientFiles) = try fixture.write("order-service", into: "client")
        let serverCredentials = try WorkloadCredentialsSource(files: serverFiles, pollInterval: .milliseconds(50))
        let mesh = try await SecurityFixture.peerMesh(appID: "product-service")
        try await withServer(mesh: mesh, configuration: .init(tls: .init(credentials: serverCredentials))) { port in
            let clientCredentials = try WorkloadCredentialsSource(files: clientFiles, pollInterval: .milliseconds(50))
            let transport = try HTTPInvocationTransport(
                resolver: StaticNameResolver(["product-service": [Endpoint(host: "127.0.0.1", port: port)]]),
                configuration: .init(attemptTimeout: .seconds(5), mutualTLS: .init(credentials: clientCredentials))
            )
            let serial =
                "openssl s_client -connect 127.0.0.1:\(port) -CAfile \(serverFiles.trustBundle.path) "
                + "-cert \(clientFiles.certificate.path) -key \(clientFiles.privateKey.path) </dev/null 2>/dev/null | openssl x509 -noout -serial"
            #expect(try await shell(serial).lowercased().hasPrefix("serial=\(first.serialHex)"))
            let load = LoadLoop()
            let second = try await withThrowingTaskGroup(of: IssuedCertificate?.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        while !load.stop.load(ordering: .relaxed) {
                            do {
                                let response = try await transport.invoke(
                                    InvocationRequest(appID: "product-service", method: "peer", httpMethod: .get)
                                )
                                if response.status != .ok { load.failures.withLock { $0.append("status \(response.status)") } }
                                load.completed.withLock { $0 += 1 }
                            } catch {
                                load.failures.withLock { $0.append("\(error)") }
                            }
                        }
                        return nil
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(300))
                    // Both sides rotate, each file replaced on its own, as a rotating agent would.
                    let (second, _) = try fixture.write("product-service", into: "server")
                    try fixture.write("order-service", into: "client")
                    while serverCredentials.snapshot.generation == 0 || clientCredentials.snapshot.generation == 0 {
                        serverCredentials.reload()
                        clientCredentials.reload()
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    // Calls go on over the new certificates: twenty more, however slow the machine.
                    let atRotation = load.completed.withLock { $0 }
                    load.completedAtRotation.withLock { $0 = atRotation }
                    let giveUp = ContinuousClock.now + .seconds(30)
                    while load.completed.withLock({ $0 }) < atRotation + 20, ContinuousClock.now < giveUp {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    load.stop.store(true, ordering: .relaxed)
                    return second
                }
                var second: IssuedCertificate?
                for try await result in group { if let result { second = result } }
                return second
            }
            #expect(load.failures.withLock { $0 }.isEmpty, "\(load.failures.withLock { $0.prefix(3) })")
            let afterRotation = load.completed.withLock { $0 } - load.completedAtRotation.withLock { $0 }
            #expect(afterRotation >= 20, "calls completed after the rotation: \(afterRotation)")
            let presented = try await shell(serial).lowercased()
            #expect(presented.hasPrefix("serial=\(second?.serialHex ?? "?")"), "\(presented)")
            await transport.shutdown()
        }
    }
}

/// The shared state of the load loop's tasks.
private final class LoadLoop: Sendable {
    let failures = Mutex<[String]>([])
    let completedAtRotation = Mutex(0)
    let completed = Mutex(0)
    let stop = Atomic<Bool>(false)
}
