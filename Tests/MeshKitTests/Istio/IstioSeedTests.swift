import Foundation
import MeshKit
import MeshKitTesting
import Testing

@Suite("Istio seed resources load unchanged")
struct IstioSeedTests {
    @Test("virtualservice.yaml: a canary header route, then a 90/10 split with retries and a timeout")
    func virtualService() throws {
        let resources = try ResourceLoader.load(file: IstioFixtures.path("virtualservice.yaml"))
        let service = try #require(resources.virtualServices.first)
        #expect(resources.virtualServices.count == 1)
        #expect(service.header.name == "product-service")
        #expect(service.header.source?.line == 1)
        #expect(service.hosts == ["product-service"])
        #expect(service.http.count == 2)

        let canary = service.http[0]
        #expect(canary.match == [HTTPMatchRequest(headers: ["x-canary": .exact("true")])])
        #expect(canary.route == [HTTPRouteDestination(destination: Destination(host: "product-service", subset: "v2"), weight: 100)])
        #expect(canary.retries == nil)
        #expect(canary.timeout == nil)

        let split = service.http[1]
        #expect(split.match.isEmpty)
        #expect(split.route.map(\.destination.subset) == ["v1", "v2"])
        #expect(split.route.map(\.weight) == [90, 10])
        #expect(split.route.allSatisfy { $0.destination.host == "product-service" })
        let retries = try #require(split.retries)
        #expect(retries.attempts == 3)
        #expect(retries.perTryTimeout == .seconds(2))
        #expect(retries.retryOn == RetryOn(conditions: [.connectFailure, .refusedStream, .serverError]))
        #expect(split.timeout == .seconds(10))
        #expect(split.mirror == nil)
        #expect(split.fault == nil)
    }

    @Test("destinationrule.yaml: pool limits, LEAST_CONN, outlier detection, ISTIO_MUTUAL and two subsets")
    func destinationRule() throws {
        let resources = try ResourceLoader.load(file: IstioFixtures.path("destinationrule.yaml"))
        let rule = try #require(resources.destinationRules.first)
        #expect(rule.header.name == "product-service")
        #expect(rule.host == "product-service")
        let policy = try #require(rule.trafficPolicy)
        #expect(
            policy.connectionPool
                == ConnectionPoolPolicy(
                    maxConnections: 100,
                    http1MaxPendingRequests: 100,
                    http2MaxRequests: 1000,
                    h2UpgradePolicy: .upgrade
                )
        )
        #expect(policy.loadBalancer == .simple(.leastConn))
        #expect(
            policy.outlierDetection
                == OutlierDetectionPolicy(
                    consecutive5xxErrors: 5,
                    interval: .seconds(30),
                    baseEjectionTime: .seconds(30),
                    maxEjectionPercent: 50
                )
        )
        #expect(policy.tls == ClientTLSPolicy(mode: .istioMutual))
        #expect(
            rule.subsets == [
                .init(name: "v1", labels: ["version": "v1"]),
                .init(name: "v2", labels: ["version": "v2"]),
            ]
        )
        #expect(rule.policy(forSubset: "v1") == policy)
    }

    @Test("istio-operator.yaml: access logs to stdout, tracing on, other sections ignored")
    func istioOperator() throws {
        let resources = try ResourceLoader.load(file: IstioFixtures.path("istio-operator.yaml"))
        let mesh = try #require(resources.meshConfigs.first)
        #expect(mesh.header.name == "istio-control-plane")
        #expect(mesh.accessLogFile == "/dev/stdout")
        #expect(mesh.enableTracing == true)
        #expect(mesh.tracingEnabled)
        #expect(mesh.ignoredSections == ["profile", "components"])
    }

    @Test("the three files load together from a folder, and their references hold")
    func folder() throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        for name in ["virtualservice.yaml", "destinationrule.yaml", "istio-operator.yaml"] {
            _ = try folder.copy(IstioFixtures.path(name))
        }
        let resources = try ResourceLoader.load(directory: folder.path)
        #expect(resources.virtualServices.count == 1)
        #expect(resources.destinationRules.count == 1)
        #expect(resources.meshConfigs.count == 1)
        #expect(!resources.isEmpty)
        let scoped = resources.scoped(to: "order-service")
        #expect(scoped.virtualServices.count == 1 && scoped.destinationRules.count == 1 && scoped.meshConfigs.count == 1)
    }

    @Test("a mesh starts with the Istio resources given in code")
    func meshInit() async throws {
        let resources = ResourceSet(
            virtualServices: try ResourceLoader.load(file: IstioFixtures.path("virtualservice.yaml")).virtualServices,
            destinationRules: try ResourceLoader.load(file: IstioFixtures.path("destinationrule.yaml")).destinationRules
        )
        let mesh = try await Mesh(appID: "order-service", configuration: .testing(resources: resources))
        #expect(mesh.appID == "order-service")
    }

    @Test("IstioOperator defaults: tracing on when enableTracing is absent")
    func tracingDefault() throws {
        let yaml = """
            apiVersion: install.istio.io/v1alpha1
            kind: IstioOperator
            metadata:
              name: minimal
            spec:
              meshConfig:
                defaultConfig: {}
            """
        let mesh = try #require(try ResourceLoader.parse(yaml: yaml, file: "op.yaml").meshConfigs.first)
        #expect(mesh.enableTracing == nil)
        #expect(mesh.tracingEnabled)
        #expect(mesh.accessLogFile == nil)
        #expect(mesh.ignoredSections == ["meshConfig.defaultConfig"])
    }
}
