import Foundation
import MeshKit
import MeshKitHTTP
import Synchronization
import Testing

@Suite struct NameResolutionTests {
    @Test func staticResolverReadsYAMLStyleConfiguration() async throws {
        // Values loaded from YAML are strings: the port arrives as "3501".
        let section = ConfigurationResource.NameResolution(
            component: "static",
            configuration: .object([
                "apps": .object([
                    "product-service": .array([
                        .object(["host": .string("127.0.0.1"), "port": .string("3501"), "labels": .object(["version": .string("v1")])]),
                        .object(["host": .string("::1"), "port": .number(8080), "style": .string("direct"), "scheme": .string("http")]),
                    ])
                ])
            ])
        )
        let resolver = try NameResolverFactory.builtIn.makeResolver(section)
        let endpoints = try await resolver.resolve(appID: "product-service")
        #expect(endpoints.count == 2)
        #expect(endpoints[0].labels == ["version": "v1"])
        #expect(endpoints[0].style == .meshKit)
        #expect(endpoints[1].style == .direct)
        #expect(endpoints[1].origin == "http://[::1]:8080")
        #expect(try await resolver.resolve(appID: "unknown").isEmpty)
    }

    @Test func unknownComponentNamesTheKnownOnes() throws {
        let error = #expect(throws: MeshError.self) {
            try NameResolverFactory.builtIn.makeResolver(.init(component: "mdns"))
        }
        #expect(error?.code == .unknownComponentType)
        #expect(error?.message.contains("dns, static") == true)
    }

    @Test func badPortIsInvalidMetadata() throws {
        let section = ConfigurationResource.NameResolution(
            component: "static",
            configuration: .object(["apps": .object(["a": .array([.object(["host": .string("127.0.0.1"), "port": .string("http")])])])])
        )
        let error = #expect(throws: MeshError.self) { try NameResolverFactory.builtIn.makeResolver(section) }
        #expect(error?.code == .invalidMetadata)
        #expect(error?.context.field == "configuration.apps.a[0].port")
    }

    @Test func dnsResolverCachesUntilTheTTLExpires() async throws {
        let lookups = Mutex<[String]>([])
        let lookup = HostLookup { host in
            lookups.withLock { $0.append(host) }
            return ["127.0.0.1"]
        }
        let resolver = DNSNameResolver(
            configuration: .init(hostFormat: "{appid}.svc.local", port: 3501, cacheTTL: .milliseconds(100)),
            lookup: lookup
        )
        #expect(resolver.knownEndpoints(appID: "product-service") == nil, "nothing is known before the first lookup")
        let first = try await resolver.resolve(appID: "product-service")
        _ = try await resolver.resolve(appID: "product-service")
        #expect(lookups.withLock { $0 } == ["product-service.svc.local"])
        #expect(first == [Endpoint(host: "127.0.0.1", port: 3501)])
        #expect(resolver.knownEndpoints(appID: "product-service") == first, "the fresh answer is known without a lookup")
        try await Task.sleep(for: .milliseconds(150))
        #expect(resolver.knownEndpoints(appID: "product-service") == nil, "a stale answer is not known")
        _ = try await resolver.resolve(appID: "product-service")
        #expect(lookups.withLock { $0.count } == 2)
    }

    @Test func dnsResolverUsesGetaddrinfoOnItsThread() async throws {
        let section = ConfigurationResource.NameResolution(
            component: "dns",
            configuration: .object([
                "port": .string("3600"), "cacheTTL": .string("30s"),
                "apps": .object(["product-service": .object(["host": .string("localhost"), "port": .string("3501")])]),
            ])
        )
        let resolver = try NameResolverFactory.builtIn.makeResolver(section)
        let endpoints = try await resolver.resolve(appID: "product-service")
        #expect(!endpoints.isEmpty)
        #expect(endpoints.allSatisfy { $0.port == 3501 && ($0.host == "127.0.0.1" || $0.host == "::1") })
    }

    @Test func dnsFailureIsSafeToRetry() async throws {
        let resolver = DNSNameResolver(configuration: .init(hostFormat: "{appid}.invalid"))
        let error = await #expect(throws: MeshError.self) { try await resolver.resolve(appID: "nowhere") }
        #expect(error?.code == .connectFailed)
        #expect(error?.message.contains("nowhere.invalid") == true)
    }

    @Test func roundRobinTakesTurns() {
        let balancer = RoundRobinBalancer()
        let endpoints = [Endpoint(host: "127.0.0.1", port: 1), Endpoint(host: "127.0.0.1", port: 2)]
        let picks = (0..<4).compactMap { _ in balancer.pick(appID: "a", from: endpoints)?.port }
        #expect(picks == [1, 2, 1, 2])
        #expect(balancer.pick(appID: "a", from: []) == nil)
    }

    @Test func invocationURLsByStyle() {
        let query = [URLQueryItem(name: "q", value: "a b+c"), URLQueryItem(name: "flag", value: nil)]
        let mesh = Endpoint(host: "127.0.0.1", port: 3501)
        #expect(
            mesh.invocationURL(appID: "product-service", method: "products/4 2", query: query)
                == "http://127.0.0.1:3501/v1.0/invoke/product-service/method/products/4%202?q=a%20b%2Bc&flag"
        )
        let direct = Endpoint(host: "::1", port: 8080, scheme: .https, style: .direct)
        #expect(direct.invocationURL(appID: "files", method: "hello.txt", query: []) == "https://[::1]:8080/hello.txt")
        // Everything outside RFC 3986's pchar is escaped, including `?`, `#`, `%` and non-ASCII.
        #expect(
            direct.invocationURL(appID: "files", method: "a?b#c/50%/café/x:y@z!$&'()*+,;=~", query: [])
                == "https://[::1]:8080/a%3Fb%23c/50%25/caf%C3%A9/x:y@z!$&'()*+,;=~"
        )
    }
}
