import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitSecurity
import MeshKitTestSupport
import MeshKitTesting
import Synchronization
import Testing

/// MeshKit's libcurl transport calling MeshKit servers over mTLS, in-process and across processes.
@Suite("Security outbound mTLS")
struct SecurityOutboundTests {
    @Test("A peer presenting a valid certificate for the wrong SPIFFE ID is refused before a byte is sent")
    func wrongIdentity() async throws {
        try await withImpostor(serving: "product-service") { port, client, calls in
            let endpoints = ["product-service": [Endpoint(host: "127.0.0.1", port: port)]]
            let transport = try SecurityFixture.transport(client, endpoints: endpoints)
            let error = await #expect(throws: MeshError.self) {
                try await transport.invoke(InvocationRequest(appID: "product-service", method: "peer", httpMethod: .get))
            }
            #expect(error?.httpTransportError?.code == .peerIdentityMismatch, "\(String(describing: error))")
            #expect(error?.message.contains("spiffe://cluster.local/ns/default/sa/intruder") == true)
            // The label names the identity: the impostor is accepted only when it is the one expected.
            let labelled = [
                "product-service": [
                    Endpoint(
                        host: "127.0.0.1",
                        port: port,
                        labels: [Endpoint.spiffeIDLabel: "spiffe://cluster.local/ns/default/sa/intruder"]
                    )
                ]
            ]
            let trusting = try SecurityFixture.transport(client, endpoints: labelled)
            let response = try await trusting.invoke(InvocationRequest(appID: "product-service", method: "peer", httpMethod: .get))
            #expect(String(decoding: response.body, as: UTF8.self) == "spiffe://cluster.local/ns/default/sa/order-service")
            #expect(calls.count.withLock { $0 } == 1)
            await transport.shutdown()
            await trusting.shutdown()
        }
    }

    @Test("A certificate already read for one connection is still checked against each request's expected identity")
    func cachedPeerCertificateIsCheckedPerRequest() async throws {
        try await withImpostor(serving: "trusting") { port, client, calls in
            // One server under two app IDs on one connection: `trusting` expects the intruder's
            // ID, which the server presents; `product-service` expects its own, so it is refused.
            let intruderID = "spiffe://cluster.local/ns/default/sa/intruder"
            let endpoints = [
                "trusting": [Endpoint(host: "127.0.0.1", port: port, labels: [Endpoint.spiffeIDLabel: intruderID])],
                "product-service": [Endpoint(host: "127.0.0.1", port: port)],
            ]
            let transport = try SecurityFixture.transport(client, endpoints: endpoints)
            let request = { (appID: String) in InvocationRequest(appID: appID, method: "peer", httpMethod: .get) }
            #expect(try await transport.invoke(request("trusting")).status == .ok)
            for _ in 0..<2 {
                let error = await #expect(throws: MeshError.self) { try await transport.invoke(request("product-service")) }
                #expect(error?.httpTransportError?.code == .peerIdentityMismatch, "\(String(describing: error))")
                #expect(try await transport.invoke(request("trusting")).status == .ok)
            }
            #expect(calls.count.withLock { $0 } == 3)
            await transport.shutdown()
        }
    }

    @Test("Bodies larger than a TLS record arrive whole both ways, and small calls follow on the same kept-alive connections")
    func largeBodiesOverMutualTLS() async throws {
        let fixture = try SecurityFixture()
        let (_, serverFiles) = try fixture.write("product-service", into: "server")
        let (_, clientFiles) = try fixture.write("order-service", into: "client")
        let mesh = try await SecurityFixture.peerMesh(appID: "product-service")
        mesh.handleInvocation("echo") { request in InvocationResponse(status: .ok, body: request.body + request.body) }
        let credentials = try WorkloadCredentialsSource(files: serverFiles)
        try await withServer(mesh: mesh, configuration: .init(tls: .init(credentials: credentials))) { port in
            let transport = try SecurityFixture.transport(
                clientFiles,
                endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: port)]]
            )
            // Not a multiple of a record or of libcurl's upload buffer, and different per call.
            for size in [40_000, 1_000_003, 5] {
                let body = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ size) })
                let response = try await transport.invoke(InvocationRequest(appID: "product-service", method: "echo", body: body))
                #expect(response.status == .ok)
                #expect(response.body == body + body, "a \(size)-byte body came back as \(response.body.count) bytes")
                let peer = try await transport.invoke(InvocationRequest(appID: "product-service", method: "peer", httpMethod: .get))
                #expect(String(decoding: peer.body, as: UTF8.self) == "spiffe://cluster.local/ns/default/sa/order-service")
            }
            await transport.shutdown()
        }
    }

    /// Runs `body` with the port of an mTLS server for `appID` that presents the dev CA's
    /// certificate of `intruder`, the files of an `order-service` client, and the count of the
    /// calls its `peer` method answered.
    private func withImpostor(
        serving appID: String,
        _ body: @Sendable (Int, WorkloadCredentialFiles, CallCounter) async throws -> Void
    ) async throws {
        let fixture = try SecurityFixture()
        let (_, impostor) = try fixture.write("intruder", into: "server")
        let (_, client) = try fixture.write("order-service", into: "client")
        let calls = CallCounter()
        let mesh = try await SecurityFixture.peerMesh(appID: appID, calls: calls)
        let serverCredentials = try WorkloadCredentialsSource(files: impostor)
        try await withServer(mesh: mesh, configuration: .init(tls: .init(credentials: serverCredentials))) { port in
            try await body(port, client, calls)
        }
    }

    @Test("Two MeshKit processes call each other over mTLS with dev-CA certificates")
    func twoProcesses() async throws {
        let fixture = try SecurityFixture()
        let (_, productFiles) = try fixture.write("product-service", into: "product")
        let (_, orderFiles) = try fixture.write("order-service", into: "order")
        let orderMesh = try await SecurityFixture.peerMesh(appID: "order-service")
        let orderCredentials = try WorkloadCredentialsSource(files: orderFiles)
        try await withServer(mesh: orderMesh, configuration: .init(tls: .init(credentials: orderCredentials))) { orderPort in
            let product = try await HTTPTestProcess.start(
                executable: try Peers.productServiceBinary(),
                arguments: [
                    "0", "--tls-cert", productFiles.certificate.path, "--tls-key", productFiles.privateKey.path, "--tls-bundle",
                    productFiles.trustBundle.path, "--call", "order-service=127.0.0.1:\(orderPort)",
                ],
                readyPattern: #"LISTENING (\d+)"#
            )
            try await product.withRunning { product in
                let transport = try SecurityFixture.transport(
                    orderFiles,
                    endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: product.port)]]
                )
                // order → product: the product service sees the order service's identity.
                let peer = try await transport.invoke(InvocationRequest(appID: "product-service", method: "peer", httpMethod: .get))
                #expect(String(decoding: peer.body, as: UTF8.self) == "spiffe://cluster.local/ns/default/sa/order-service")
                // product → order, from the other process: the order service sees the product service's.
                let relay = try await transport.invoke(InvocationRequest(appID: "product-service", method: "relay/order-service"))
                #expect(relay.status == .ok)
                #expect(String(decoding: relay.body, as: UTF8.self) == "spiffe://cluster.local/ns/default/sa/product-service")
                await transport.shutdown()
            }
        }
    }
}
