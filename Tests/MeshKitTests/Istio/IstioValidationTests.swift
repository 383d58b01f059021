import Foundation
import MeshKit
import MeshKitTesting
import Testing

@Suite("Istio validation errors name the file, the line and the field")
struct IstioValidationTests {
    /// A VirtualService whose `http` list starts on line 8.
    fileprivate func virtualService(_ http: String, apiVersion: String = "networking.istio.io/v1beta1") -> String {
        """
        apiVersion: \(apiVersion)
        kind: VirtualService
        metadata:
          name: product-service
        spec:
          hosts: [product-service]
          http:
        \(http)
        """
    }

    /// A DestinationRule whose `trafficPolicy` content starts on line 8.
    private func destinationRule(_ body: String) -> String {
        """
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: product-service
        spec:
          host: product-service
          trafficPolicy:
        \(body)
        """
    }

    fileprivate func parseError(_ yaml: String, file: String = "istio.yaml") -> MeshError? {
        do {
            _ = try ResourceLoader.parse(yaml: yaml, file: file)
            return nil
        } catch {
            return error
        }
    }

    fileprivate func expect(
        _ error: MeshError?,
        file: String = "istio.yaml",
        line: Int,
        field: String,
        mentions words: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error else {
            Issue.record("the resource loaded, an error was expected", sourceLocation: sourceLocation)
            return
        }
        #expect(error.context.file == file, sourceLocation: sourceLocation)
        #expect(error.context.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.context.field == field, "\(error)", sourceLocation: sourceLocation)
        for word in words {
            #expect(error.message.contains(word), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "a route subset that no DestinationRule for the host defines",
        arguments: ["networking.istio.io/v1", "networking.istio.io/v1beta1"]
    )
    func unknownSubset(apiVersion: String) throws {
        let folder = try ResourceFolder()
        defer { folder.remove() }
        _ = try folder.copy(IstioFixtures.path("destinationrule.yaml"))
        let service = try folder.write(
            "vs.yaml",
            virtualService(
                """
                  - route:
                    - destination:
                        host: product-service
                        subset: v1
                      weight: 50
                    - destination:
                        host: product-service
                        subset: v3
                      weight: 50
                """,
                apiVersion: apiVersion
            )
        )
        let error = #expect(throws: MeshError.self) { try ResourceLoader.load(directory: folder.path) }
        expect(error, file: service, line: 15, field: "spec.http[0].route[1].destination.subset", mentions: ["v3", "v1, v2"])
    }

    @Test("a subset of a host with no DestinationRule at all, given in code, stops Mesh.init")
    func meshInitValidates() async throws {
        let service = VirtualServiceResource(
            name: "s",
            hosts: ["cart"],
            http: [HTTPRoute(route: [HTTPRouteDestination(destination: Destination(host: "cart", subset: "blue"))])]
        )
        let error = await #expect(throws: MeshError.self) {
            try await Mesh(appID: "orders", configuration: .testing(resources: ResourceSet(virtualServices: [service])))
        }
        #expect(error?.context.field == "spec.http[0].route[0].destination.subset")
        #expect(error?.message.contains("no DestinationRule has host 'cart'") == true)
    }

    @Test("a negative weight")
    func negativeWeight() {
        let yaml = virtualService(
            """
              - route:
                - destination: { host: a }
                  weight: 110
                - destination: { host: b }
                  weight: -10
            """
        )
        expect(parseError(yaml), line: 12, field: "spec.http[0].route[1].weight", mentions: ["negative"])
    }

    @Test("weights that add up to 0 across several destinations")
    func zeroWeights() {
        let yaml = virtualService(
            """
              - route:
                - destination: { host: a }
                - destination: { host: b }
            """
        )
        expect(parseError(yaml), line: 9, field: "spec.http[0].route", mentions: ["0"])
    }

    @Test("an unknown retryOn condition")
    func unknownRetryOn() {
        let yaml = virtualService(
            """
              - route:
                - destination: { host: a }
                retries:
                  attempts: 2
                  retryOn: 5xx,sometimes
            """
        )
        expect(parseError(yaml), line: 12, field: "spec.http[0].retries.retryOn", mentions: ["sometimes", "gateway-error"])
    }

    @Test("retryOn accepts gRPC conditions, Envoy's extra ones and bare status codes")
    func retryOnKinds() throws {
        let yaml = virtualService(
            """
              - route:
                - destination: { host: a }
                retries:
                  attempts: 2
                  retryOn: "unavailable, cancelled,retriable-headers,envoy-ratelimited,reset,503,429"
            """
        )
        let retryOn = try #require(
            try ResourceLoader.parse(yaml: yaml, file: "istio.yaml").virtualServices.first?.http.first?.retries?.retryOn
        )
        #expect(retryOn.conditions == [.unavailable, .cancelled, .retriableHeaders, .envoyRateLimited, .reset])
        #expect(retryOn.statusCodes == [503, 429])
        #expect(retryOn.retries(status: 429))
        #expect(!retryOn.retries(status: 500))
    }

    @Test("negative retry attempts")
    func negativeAttempts() {
        let yaml = virtualService(
            """
              - route:
                - destination: { host: a }
                retries:
                  attempts: -1
            """
        )
        expect(parseError(yaml), line: 11, field: "spec.http[0].retries.attempts", mentions: ["negative"])
    }

    @Test("an invalid regular expression")
    func invalidRegex() {
        let yaml = virtualService(
            """
              - match:
                - uri:
                    regex: "/api/(unclosed"
                route:
                - destination: { host: a }
            """
        )
        expect(parseError(yaml), line: 10, field: "spec.http[0].match[0].uri.regex", mentions: ["regular expression"])
    }

    @Test("an unknown load balancer names the known ones")
    func unknownLoadBalancer() {
        let yaml = destinationRule(
            """
                loadBalancer:
                  simple: FASTEST
            """
        )
        expect(
            parseError(yaml),
            line: 9,
            field: "spec.trafficPolicy.loadBalancer.simple",
            mentions: ["FASTEST", "ROUND_ROBIN", "LEAST_REQUEST"]
        )
    }

    @Test("a cookie hash is not supported")
    func cookieHash() {
        let yaml = destinationRule(
            """
                loadBalancer:
                  consistentHash:
                    httpCookie: { name: user, ttl: 0s }
            """
        )
        expect(parseError(yaml), line: 10, field: "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie", mentions: ["not support"])
    }

    @Test("portLevelSettings is refused clearly")
    func portLevelSettings() {
        let yaml = destinationRule(
            """
                portLevelSettings:
                - port: { number: 80 }
                  loadBalancer: { simple: RANDOM }
            """
        )
        expect(parseError(yaml), line: 9, field: "spec.trafficPolicy.portLevelSettings", mentions: ["portLevelSettings"])
    }

    @Test("maxEjectionPercent outside 0 to 100")
    func maxEjectionPercent() {
        let yaml = destinationRule(
            """
                outlierDetection:
                  consecutive5xxErrors: 3
                  maxEjectionPercent: 150
            """
        )
        expect(parseError(yaml), line: 10, field: "spec.trafficPolicy.outlierDetection.maxEjectionPercent", mentions: ["150"])
    }

    @Test("two subsets of the same name")
    func duplicateSubsets() {
        let yaml = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: product-service
            spec:
              host: product-service
              subsets:
              - name: v1
                labels: { version: v1 }
              - name: v1
                labels: { version: v2 }
            """
        expect(parseError(yaml), line: 10, field: "spec.subsets[1].name", mentions: ["v1", "twice"])
    }

    @Test("an apiVersion MeshKit does not read names the accepted ones")
    func unsupportedAPIVersion() {
        let yaml = virtualService("  - route: [{ destination: { host: a } }]", apiVersion: "networking.istio.io/v2")
        expect(parseError(yaml), line: 1, field: "apiVersion", mentions: ["networking.istio.io/v1", "v1beta1", "v1alpha3"])
    }

    @Test("an unknown kind lists the Istio kinds too")
    func unknownKind() {
        let yaml = """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: jwt
            """
        let error = parseError(yaml)
        #expect(error?.code == .unknownKind)
        #expect(error?.context.line == 2)
        #expect(error?.message.contains("VirtualService, DestinationRule, IstioOperator, AuthorizationPolicy, PeerAuthentication") == true)
    }

    @Test(
        "both networking versions load the same routes",
        arguments: ["networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"]
    )
    func versions(apiVersion: String) throws {
        let yaml = virtualService("  - route: [{ destination: { host: a } }]", apiVersion: apiVersion)
        let service = try #require(try ResourceLoader.parse(yaml: yaml, file: "istio.yaml").virtualServices.first)
        #expect(service.http.first?.route.first?.destination.host == "a")
    }
}

extension IstioValidationTests {
    @Test("a negative route timeout")
    func negativeTimeout() {
        let yaml = virtualService(
            """
              - route:
                - destination: { host: a }
                timeout: -5s
            """
        )
        expect(parseError(yaml), line: 10, field: "spec.http[0].timeout", mentions: ["negative"])
    }
}
