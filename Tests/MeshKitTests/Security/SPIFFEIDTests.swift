import MeshKit
import Testing

@Suite("Security SPIFFE IDs")
struct SPIFFEIDTests {
    @Test("Istio's form gives the service account and the principal")
    func istioForm() throws {
        let id = try SPIFFEID(parsing: "spiffe://cluster.local/ns/shop/sa/order-service")
        #expect(id.form == .istio)
        #expect(id.trustDomain == "cluster.local")
        #expect(id.namespace == "shop")
        #expect(id.serviceAccount == "order-service")
        #expect(id.appID == nil)
        #expect(id.principal == "cluster.local/ns/shop/sa/order-service")
        #expect(id.uri == "spiffe://cluster.local/ns/shop/sa/order-service")
    }

    @Test("Dapr's form gives the app ID, which stands in for the service account in the principal")
    func daprForm() throws {
        let id = try SPIFFEID(parsing: "spiffe://public/ns/default/checkout")
        #expect(id.form == .dapr)
        #expect(id.appID == "checkout")
        #expect(id.serviceAccount == nil)
        #expect(id.principal == "public/ns/default/sa/checkout")
        #expect(id.uri == "spiffe://public/ns/default/checkout")
        #expect(try SPIFFEID(trustDomain: "public", namespace: "default", appID: "checkout") == id)
    }

    @Test(
        "Malformed IDs are refused with the reason",
        arguments: [
            "https://cluster.local/ns/a/sa/b", "spiffe://", "spiffe://cluster.local", "spiffe://Cluster.local/ns/a/sa/b",
            "spiffe://cluster.local:8443/ns/a/sa/b", "spiffe://cluster.local/ns//sa/b", "spiffe://cluster.local/ns/a/sa/../b",
            "spiffe://cluster.local/ns/a/sa/b?x=1", "spiffe://cluster.local/xx/a/sa/b", "spiffe://cluster.local/ns/a/sa/b/c",
            "spiffe://cluster.local/ns/a",
        ]
    )
    func malformed(uri: String) {
        #expect(throws: MeshError.self) { try SPIFFEID(parsing: uri) }
    }

    @Test("An endpoint's spiffe.io/id label names the identity expected of it")
    func endpointLabel() throws {
        let endpoint = Endpoint(host: "127.0.0.1", port: 1, labels: [Endpoint.spiffeIDLabel: "spiffe://td/ns/a/sa/b"])
        #expect(try endpoint.expectedIdentity()?.principal == "td/ns/a/sa/b")
        #expect(try Endpoint(host: "127.0.0.1", port: 1).expectedIdentity() == nil)
    }
}
