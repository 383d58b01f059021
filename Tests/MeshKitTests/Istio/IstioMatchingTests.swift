import Foundation
import HTTPTypes
import MeshKit
import Testing

@Suite("Istio route matching")
struct IstioMatchingTests {
    private func headers(_ pairs: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields[HTTPField.Name(name)!] = value }
        return fields
    }

    private func service(_ yaml: String) throws -> VirtualServiceResource {
        let document = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: routes
            spec:
              hosts: [product-service]
              http:
            \(yaml)
            """
        return try #require(try ResourceLoader.parse(yaml: document, file: "vs.yaml").virtualServices.first)
    }

    @Test("every condition of one block must hold (AND)")
    func andWithinBlock() {
        let block = HTTPMatchRequest(uri: .prefix("/api"), method: .exact("GET"), headers: ["x-user": .exact("ann")])
        #expect(block.matches(method: "GET", path: "/api/products", headers: headers(["x-user": "ann"]), query: []))
        #expect(!block.matches(method: "POST", path: "/api/products", headers: headers(["x-user": "ann"]), query: []))
        #expect(!block.matches(method: "GET", path: "/other", headers: headers(["x-user": "ann"]), query: []))
        #expect(!block.matches(method: "GET", path: "/api/products", headers: headers([:]), query: []))
    }

    @Test("any block of a route admits a call (OR), and a route without blocks admits every call")
    func orAcrossBlocks() {
        let route = HTTPRoute(
            match: [HTTPMatchRequest(method: .exact("DELETE")), HTTPMatchRequest(uri: .exact("/health"))],
            route: [HTTPRouteDestination(destination: Destination(host: "a"))]
        )
        #expect(route.matches(method: "DELETE", path: "/x", headers: headers([:]), query: []))
        #expect(route.matches(method: "GET", path: "/health", headers: headers([:]), query: []))
        #expect(!route.matches(method: "GET", path: "/x", headers: headers([:]), query: []))
        let catchAll = HTTPRoute(route: [HTTPRouteDestination(destination: Destination(host: "a"))])
        #expect(catchAll.matches(method: "PATCH", path: "anything", headers: headers([:]), query: []))
    }

    @Test("the first route that matches wins")
    func firstRouteWins() throws {
        let service = try service(
            """
              - name: canary
                match:
                - headers:
                    x-canary: { exact: "true" }
                route:
                - destination: { host: product-service, subset: v2 }
              - name: products
                match:
                - uri: { prefix: /api/products }
                route:
                - destination: { host: product-service, subset: v1 }
              - name: rest
                route:
                - destination: { host: product-service, subset: v1 }
            """
        )
        #expect(service.route(method: "GET", path: "api/products/1", headers: headers(["X-Canary": "true"]))?.name == "canary")
        #expect(service.route(method: "GET", path: "api/products/1", headers: headers([:]))?.name == "products")
        #expect(service.route(method: "GET", path: "orders", headers: headers([:]))?.name == "rest")
    }

    @Test("header names compare case-insensitively, values case-sensitively")
    func headerCase() {
        let block = HTTPMatchRequest(headers: ["X-Canary": .exact("true")])
        #expect(block.matches(method: "GET", path: "/", headers: headers(["x-canary": "true"]), query: []))
        #expect(block.matches(method: "GET", path: "/", headers: headers(["X-CANARY": "true"]), query: []))
        #expect(!block.matches(method: "GET", path: "/", headers: headers(["x-canary": "TRUE"]), query: []))
    }

    @Test("exact, prefix and regex (a full match) on the path, with the leading slash implied")
    func uriKinds() throws {
        let exact = HTTPMatchRequest(uri: .exact("/api/products/1"))
        #expect(exact.matches(method: "GET", path: "api/products/1", headers: headers([:]), query: []))
        #expect(exact.matches(method: "GET", path: "/api/products/1", headers: headers([:]), query: []))
        #expect(!exact.matches(method: "GET", path: "api/products/12", headers: headers([:]), query: []))

        let prefix = HTTPMatchRequest(uri: .prefix("/api/"))
        #expect(prefix.matches(method: "GET", path: "api/orders", headers: headers([:]), query: []))
        #expect(!prefix.matches(method: "GET", path: "apiv2", headers: headers([:]), query: []))
        #expect(HTTPMatchRequest(uri: .prefix("/")).matches(method: "GET", path: "x", headers: headers([:]), query: []))

        let regex = HTTPMatchRequest(uri: try .regex("/api/products/[0-9]+"))
        #expect(regex.matches(method: "GET", path: "api/products/42", headers: headers([:]), query: []))
        #expect(!regex.matches(method: "GET", path: "api/products/42/reviews", headers: headers([:]), query: []))
        #expect(!regex.matches(method: "GET", path: "x/api/products/42", headers: headers([:]), query: []))
    }

    @Test("query parameters, presence matches and the method, read from YAML")
    func fromYAML() throws {
        let service = try service(
            """
              - match:
                - method: { exact: POST }
                  queryParams:
                    version: { regex: "v[12]" }
                  headers:
                    x-trace: {}
                route:
                - destination: { host: product-service }
            """
        )
        let route = try #require(service.http.first)
        let version = [URLQueryItem(name: "version", value: "v2")]
        #expect(route.matches(method: "POST", path: "/", headers: headers(["x-trace": "1"]), query: version))
        #expect(!route.matches(method: "POST", path: "/", headers: headers([:]), query: version))
        #expect(
            !route.matches(
                method: "POST",
                path: "/",
                headers: headers(["x-trace": "1"]),
                query: [URLQueryItem(name: "version", value: "v3")]
            )
        )
        #expect(!route.matches(method: "POST", path: "/", headers: headers(["x-trace": "1"]), query: []))
        #expect(!route.matches(method: "GET", path: "/", headers: headers(["x-trace": "1"]), query: version))
    }

    @Test("wildcard hosts")
    func hosts() {
        let service = VirtualServiceResource(name: "s", hosts: ["*.internal", "cart"], http: [])
        #expect(service.applies(to: "cart"))
        #expect(service.applies(to: "orders.internal"))
        #expect(!service.applies(to: "orders"))
    }
}
