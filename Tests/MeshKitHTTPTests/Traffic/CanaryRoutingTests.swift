import Foundation
import HTTPTypes
import MeshKit
import MeshKitHTTP
import MeshKitRedis
import MeshKitSecurity
import MeshKitTesting
import Testing

/// Four real product-service processes, two labelled `version: v1` and two `version: v2`,
/// routed by the design brief's VirtualService.
@Suite("canary routing by header and weight across four real processes")
struct CanaryRoutingTests {
    static let fleet: [ProductFleet.Member] = [
        .init(name: "v1-a", labels: ["version": "v1"]),
        .init(name: "v1-b", labels: ["version": "v1"]),
        .init(name: "v2-a", labels: ["version": "v2"]),
        .init(name: "v2-b", labels: ["version": "v2"]),
    ]

    static let canary: HTTPFields = [HTTPField.Name("x-canary")!: "true"]

    /// The seed VirtualService, and the seed DestinationRule over plaintext.
    static func resources() throws -> ResourceSet {
        try TrafficFixtures.load("seed-istio/virtualservice.yaml", "traffic/destinationrule-plaintext.yaml")
    }

    @Test("found through the static resolver: x-canary reaches v2 only, and 10,000 calls split 90/10 within ±2 points")
    func staticResolver() async throws {
        try await ProductFleet.run(Self.fleet) { fleet in
            let (mesh, transport) = try await fleet.caller(resources: try Self.resources())
            let canaries = await mesh.whoamiCounts(200, headers: Self.canary)
            #expect(Set(canaries.keys) == ["v2-a", "v2-b"], "\(canaries)")
            #expect(canaries.values.reduce(0, +) == 200)

            let split = await mesh.whoamiCounts(10_000, concurrency: 16)
            let v2 = split.filter { $0.key.hasPrefix("v2") }.values.reduce(0, +)
            let v1 = split.filter { $0.key.hasPrefix("v1") }.values.reduce(0, +)
            #expect(v1 + v2 == 10_000, "every call answered: \(split)")
            #expect((800...1_200).contains(v2), "v2 took \(v2) of 10,000 calls: \(split)")
            #expect(split.keys.count == 4, "both instances of each subset take calls: \(split)")
            await transport.shutdown()
        }
    }

    @Test("found through the Redis registry, where each instance registers its labels: the same routing")
    func redisRegistry() async throws {
        try await RedisServer.start().run { redis in
            try await ProductFleet.run(Self.fleet, registryRedisHost: redis.address) { fleet in
                let registry = try RedisNameRegistry(redisHost: redis.address, settings: .init(cacheTTL: .milliseconds(200)))
                try await eventually("all four instances registered with their labels") {
                    let endpoints = try await registry.resolve(appID: "product-service")
                    return Set(endpoints.map(\.labels)) == [["version": "v1"], ["version": "v2"]] && endpoints.count == 4
                }
                let (mesh, transport) = try await ProductFleet.caller(resolver: registry, resources: try Self.resources())
                let canaries = await mesh.whoamiCounts(100, headers: Self.canary)
                #expect(Set(canaries.keys) == ["v2-a", "v2-b"], "\(canaries)")
                let split = await mesh.whoamiCounts(2_000, concurrency: 8)
                let v2 = split.filter { $0.key.hasPrefix("v2") }.values.reduce(0, +)
                #expect(split.values.reduce(0, +) == 2_000)
                #expect((120...280).contains(v2), "v2 took \(v2) of 2,000 calls: \(split)")
                await transport.shutdown()
                await registry.shutdown()
            }
        }
    }

    @Test("the design brief's VirtualService and DestinationRule, unchanged: canary routing over ISTIO_MUTUAL between four mTLS processes")
    func seedFilesOverMutualTLS() async throws {
        let security = try SecurityFixture()
        let (_, product) = try security.write("product-service", into: "product")
        let (_, order) = try security.write("order-service", into: "order")
        let tlsArguments = [
            "--tls-cert", product.certificate.path, "--tls-key", product.privateKey.path, "--tls-bundle", product.trustBundle.path,
        ]
        let members = Self.fleet.map { member in
            ProductFleet.Member(name: member.name, labels: member.labels, extraArguments: tlsArguments)
        }
        try await ProductFleet.run(members) { fleet in
            let resources = try TrafficFixtures.load("seed-istio/virtualservice.yaml", "seed-istio/destinationrule.yaml")
            let credentials = try WorkloadCredentialsSource(files: order)
            let mutualTLS = HTTPInvocationTransport.MutualTLS(credentials: credentials, upgradesPlaintextEndpoints: false)
            let (mesh, transport) = try await fleet.caller(
                resources: resources,
                transport: .init(attemptTimeout: .seconds(5), mutualTLS: mutualTLS)
            )
            let canaries = await mesh.whoamiCounts(50, headers: Self.canary)
            #expect(Set(canaries.keys) == ["v2-a", "v2-b"], "\(canaries)")
            let split = await mesh.whoamiCounts(1_000, concurrency: 8)
            let v2 = split.filter { $0.key.hasPrefix("v2") }.values.reduce(0, +)
            #expect(split.values.reduce(0, +) == 1_000, "every call answered over mTLS: \(split)")
            #expect((50...150).contains(v2), "v2 took \(v2) of 1,000 calls: \(split)")
            await transport.shutdown()
        }
    }

    @Test("the seed DestinationRule's ISTIO_MUTUAL, with no mesh certificates, is refused with a clear error, never sent in plaintext")
    func seedRuleRefusesPlaintext() async throws {
        // One instance of each subset: the seed route sends one call in ten to v2, and a subset
        // without endpoints would fail that call before its TLS mode is read.
        try await ProductFleet.run([Self.fleet[0], Self.fleet[2]]) { fleet in
            let resources = try TrafficFixtures.load("seed-istio/virtualservice.yaml", "seed-istio/destinationrule.yaml")
            let (mesh, transport) = try await fleet.caller(resources: resources)
            let error = await #expect(throws: MeshError.self) { try await mesh.whoami() }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.contains("ISTIO_MUTUAL") == true)
            await transport.shutdown()
        }
    }
}
