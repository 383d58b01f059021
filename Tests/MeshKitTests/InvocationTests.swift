import Foundation
import HTTPTypes
import MeshKit
import MeshKitTesting
import Testing

@Suite("Service invocation in process")
struct InvocationTests {
    @Test("an app invokes another app's handler and gets status, headers and body back")
    func invokeAnotherApp() async throws {
        let network = InProcessNetwork()
        let orders = try await makeMesh(appID: "order-service", network: network)
        let products = try await makeMesh(appID: "product-service", network: network)
        products.handleInvocation("products/{id}", httpMethods: [.get]) { request in
            var response = try InvocationResponse.json(["id": request.pathParameters["id"] ?? "", "caller": request.callerAppID ?? ""])
            response.headers[HTTPField.Name("x-stock")!] = request.query.first { $0.name == "warehouse" }?.value
            response.headers[HTTPField.Name("x-callee")!] = request.headers[.daprCalleeAppID]
            response.headers[HTTPField.Name("x-trace")!] = request.headers[.traceparent]
            return response
        }
        let response = try await orders.invoke(
            appID: "product-service",
            method: "/products/42",
            httpMethod: .get,
            query: [URLQueryItem(name: "warehouse", value: "north")]
        )
        #expect(response.status == .ok)
        #expect(try response.decode([String: String].self) == ["id": "42", "caller": "order-service"])
        #expect(response.headers[HTTPField.Name("x-stock")!] == "north")
        #expect(response.headers[HTTPField.Name("x-callee")!] == "product-service")
        #expect(response.headers[HTTPField.Name("x-trace")!] != nil)
        #expect(response.headers[.contentType] == "application/json")
    }

    @Test("the caller's headers and body pass through unchanged")
    func passThrough() async throws {
        let network = InProcessNetwork()
        let caller = try await makeMesh(appID: "a", network: network)
        let echo = try await makeMesh(appID: "b", network: network)
        echo.handleInvocation("echo") { request in
            InvocationResponse(status: .created, headers: request.headers, body: request.body)
        }
        var headers = HTTPFields()
        headers[HTTPField.Name("x-request-id")!] = "r-1"
        let response = try await caller.invoke(appID: "b", method: "echo", body: Data([1, 2, 3]), headers: headers)
        #expect(response.status == .created)
        #expect(response.body == Data([1, 2, 3]))
        #expect(response.headers[HTTPField.Name("x-request-id")!] == "r-1")
        #expect(response.headers[.daprCallerAppID] == "a")
    }

    @Test("unknown methods answer 404, wrong HTTP methods 405, throwing handlers 500")
    func httpLikeStatuses() async throws {
        let mesh = try await makeMesh()
        struct Broken: Error {}
        mesh.handleInvocation("only-get", httpMethods: [.get]) { _ in .text("ok") }
        mesh.handleInvocation("broken") { _ in throw Broken() }
        mesh.handleInvocation("health/*") { _ in .text("healthy") }
        #expect(try await mesh.invoke(appID: "order-service", method: "missing").status == .notFound)
        #expect(try await mesh.invoke(appID: "order-service", method: "only-get", httpMethod: .post).status == .methodNotAllowed)
        #expect(try await mesh.invoke(appID: "order-service", method: "only-get", httpMethod: .get).isSuccess)
        #expect(try await mesh.invoke(appID: "order-service", method: "broken").status == .internalServerError)
        #expect(try await mesh.invoke(appID: "order-service", method: "health/live/db").isSuccess)
    }

    @Test("an unknown app ID is a clear appNotFound error")
    func unknownApp() async throws {
        let mesh = try await makeMesh()
        let error = try await #require(throws: MeshError.self) { try await mesh.invoke(appID: "nowhere", method: "m") }
        #expect(error.code == .appNotFound)
        #expect(error.code.daprCode == "ERR_DIRECT_INVOKE")
        #expect(error.message.contains("nowhere"))
    }

    @Test("an app ID outside this process goes to the configured remote transport")
    func remoteTransport() async throws {
        struct Recording: InvocationTransport {
            let resolver: any NameResolver = StaticNameResolver(["far-away": [Endpoint(host: "far.example", port: 3500)]])

            func invoke(_ request: InvocationRequest, at endpoint: Endpoint, policy: TrafficPolicy) async throws -> InvocationResponse {
                .text("\(request.appID)/\(request.method) from \(request.callerAppID ?? "?") at \(endpoint.host)")
            }
        }
        var configuration = MeshConfiguration.testing()
        configuration.remoteTransport = Recording()
        let mesh = try await Mesh(appID: "caller", configuration: configuration)
        let response = try await mesh.invoke(appID: "far-away", method: "ping")
        #expect(String(decoding: response.body, as: UTF8.self) == "far-away/ping from caller at far.example")
    }
}
