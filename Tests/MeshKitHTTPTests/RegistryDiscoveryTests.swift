import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitRedis
import MeshKitTestSupport
import MeshKitTesting
import Testing

@Suite("finding a service in another process through the Redis name registry")
struct RegistryDiscoveryTests {
    @Test("a product-service process registers itself, callers find and invoke it, and after SIGKILL it leaves when its TTL runs out")
    func discoverAcrossProcesses() async throws {
        try await RedisServer.start().run { redis in
            let peer = try await HTTPTestProcess.start(
                executable: try Peers.productServiceBinary(),
                arguments: ["0", "--registry-redis-host", redis.address, "--registry-ttl-ms", "1000"],
                readyPattern: #"LISTENING (\d+)"#
            )
            try await peer.withRunning { peer in
                let registry = try RedisNameRegistry(redisHost: redis.address, settings: .init(cacheTTL: .zero))
                let transport = try HTTPInvocationTransport(resolver: registry, configuration: .init(attemptTimeout: .seconds(5)))
                var configuration = MeshConfiguration.testing()
                configuration.remoteTransport = transport
                let caller = try await Mesh(appID: "order-service", configuration: configuration)

                try await eventually("product-service is registered") {
                    try await registry.resolve(appID: "product-service") == [Endpoint(host: "127.0.0.1", port: peer.port)]
                }
                let product = try await caller.invoke(appID: "product-service", method: "products/42", httpMethod: .get)
                #expect(product.status == .ok)
                #expect(String(decoding: product.body, as: UTF8.self).contains(#""id":"42""#))

                await peer.kill()
                try await eventually("the killed instance's entry expired") {
                    try await registry.resolve(appID: "product-service").isEmpty
                }
                let gone = try await #require(throws: MeshError.self) {
                    try await caller.invoke(appID: "product-service", method: "products/42", httpMethod: .get)
                }
                #expect(gone.code == .appNotFound)
                await transport.shutdown()
            }
        }
    }
}
