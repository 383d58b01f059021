import MeshKit
import Testing

@Suite("Istio subset policies")
struct IstioSubsetPolicyTests {
    @Test("a subset's policy sections replace the rule's, the others are the rule's")
    func overriding() throws {
        let yaml = """
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: cart
            spec:
              host: cart
              trafficPolicy:
                loadBalancer:
                  simple: ROUND_ROBIN
                connectionPool:
                  tcp: { maxConnections: 10, connectTimeout: 3s }
                  http: { maxRetries: 4, idleTimeout: 1m, maxRequestsPerConnection: 1 }
              subsets:
              - name: v1
                labels: { version: v1 }
              - name: v2
                labels: { version: v2 }
                trafficPolicy:
                  loadBalancer:
                    consistentHash:
                      httpHeaderName: x-user
                      ringHash: { minimumRingSize: 64 }
                  outlierDetection:
                    consecutiveErrors: 7
                  tls:
                    mode: SIMPLE
                    sni: cart.local
                    subjectAltNames: [spiffe://cart]
            """
        let rule = try #require(try ResourceLoader.parse(yaml: yaml, file: "dr.yaml").destinationRules.first)
        let pool = ConnectionPoolPolicy(
            maxConnections: 10,
            connectTimeout: .seconds(3),
            maxRequestsPerConnection: 1,
            maxRetries: 4,
            idleTimeout: .seconds(60)
        )
        #expect(rule.policy(forSubset: nil) == TrafficPolicy(loadBalancer: .simple(.roundRobin), connectionPool: pool))
        #expect(rule.policy(forSubset: "v1") == rule.policy(forSubset: nil))
        #expect(rule.policy(forSubset: "unknown") == rule.policy(forSubset: nil))
        let v2 = rule.policy(forSubset: "v2")
        #expect(v2.loadBalancer == .consistentHash(.header("x-user"), minimumRingSize: 64))
        #expect(v2.connectionPool == pool)
        // consecutiveErrors is Istio's deprecated alias: gateway errors, with the 5xx check off.
        #expect(v2.outlierDetection == OutlierDetectionPolicy(consecutive5xxErrors: nil, consecutiveGatewayErrors: 7))
        #expect(v2.tls == ClientTLSPolicy(mode: .simple, sni: "cart.local", subjectAltNames: ["spiffe://cart"]))
    }

    @Test("a query-parameter hash with the deprecated minimumRingSize, and Istio's outlier defaults")
    func queryHash() throws {
        let yaml = """
            apiVersion: networking.istio.io/v1alpha3
            kind: DestinationRule
            metadata:
              name: cart
            spec:
              host: cart
              trafficPolicy:
                loadBalancer:
                  consistentHash: { httpQueryParameterName: user, minimumRingSize: 128 }
                outlierDetection: {}
            """
        let rule = try #require(try ResourceLoader.parse(yaml: yaml, file: "dr.yaml").destinationRules.first)
        #expect(rule.trafficPolicy?.loadBalancer == .consistentHash(.queryParameter("user"), minimumRingSize: 128))
        #expect(rule.trafficPolicy?.outlierDetection == OutlierDetectionPolicy())
    }
}
