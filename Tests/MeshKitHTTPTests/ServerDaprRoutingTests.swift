import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

/// Requests reach a method as they would through a Dapr sidecar (dapr/dapr
/// `pkg/api/http/directmessaging.go`, `findTargetIDAndMethod`): by the invocation path, by the
/// `dapr-app-id` header on `/{method}`, or at `/{method}` as a sidecar calls its app; paths are
/// cleaned and never leave the method namespace.
@Suite struct ServerDaprRoutingTests {
    static func routingMesh() async throws -> Mesh {
        let mesh = try await productMesh()
        mesh.handleInvocation("v1.0/healthz") { _ in .text("the app's own v1.0/healthz method") }
        mesh.handleInvocation("headers") { request in
            .text(request.headers[.daprAppID] == nil ? "no dapr-app-id" : "dapr-app-id passed on")
        }
        mesh.handleInvocation("catalog", httpMethods: [.get]) { _ in .text("twelve bytes") }
        return mesh
    }

    static func send(_ port: Int, _ method: String, _ path: String, headers: String = "") async throws -> String {
        try await LoopbackSocket.exchange(port: port, "\(method) \(path) HTTP/1.1\r\nHost: x\r\n\(headers)Connection: close\r\n\r\n")
    }

    @Test("a request is the mesh's when its path is in Dapr's API or it names an app in `dapr-app-id`; otherwise it is the app's own")
    func servesDaprAPIPaths() {
        let mesh = ["/v1.0/invoke/a/method/b", "/v1.0", "//v1.0/healthz", "/v1.0?x=1", "/v1.0-alpha1/x", "v1.0/healthz"]
        let app = ["/", "", "/orders/1", "/v1.00/x", "/v1.0x", "/v1", "/v1.", "/x/v1.0/healthz", "/V1.0/healthz"]
        for path in mesh { #expect(DaprHTTPAPI.serves(path: path, headers: [:]), "\(path)") }
        for path in app { #expect(!DaprHTTPAPI.serves(path: path, headers: [:]), "\(path)") }
        #expect(DaprHTTPAPI.serves(path: "/orders/1", headers: [.daprAppID: "shop"]))
        #expect(!DaprHTTPAPI.serves(path: "/orders/1", headers: [.daprAppID: ""]))
    }

    @Test("`/{method}` with `dapr-app-id` invokes that app's method, and the header is not passed on; another app ID is 404")
    func routesByAppIDHeader() async throws {
        try await withServer(mesh: try await Self.routingMesh()) { port throws in
            #expect(try await Self.send(port, "GET", "/products/42", headers: "dapr-app-id: product-service\r\n").hasSuffix("product 42  "))
            #expect(try await Self.send(port, "GET", "/headers", headers: "Dapr-App-Id: product-service\r\n").hasSuffix("no dapr-app-id"))
            let elsewhere = try await Self.send(port, "GET", "/products/42", headers: "dapr-app-id: order-service\r\n")
            #expect(elsewhere.hasPrefix("HTTP/1.1 404"))
            #expect(elsewhere.contains("order-service"))
        }
    }

    @Test("`/{method}` without the header is this app's method, as a Dapr sidecar calls its app; the rest of Dapr's API is 404")
    func answersAppStylePaths() async throws {
        try await withServer(mesh: try await Self.routingMesh()) { port throws in
            #expect(try await Self.send(port, "GET", "/products/7?color=red").hasSuffix("product 7 red "))
            #expect(try await Self.send(port, "GET", "/nothing-here").hasPrefix("HTTP/1.1 404"))
            #expect(try await Self.send(port, "GET", "/v1.0/state/statestore/k").hasPrefix("HTTP/1.1 404"))
        }
    }

    @Test("method paths are cleaned as Dapr cleans them, and `..` never climbs out of the method namespace")
    func cleansMethodPaths() async throws {
        try await withServer(mesh: try await Self.routingMesh()) { port throws in
            let invoke = "/v1.0/invoke/product-service/method"
            #expect(try await Self.send(port, "GET", "\(invoke)/x/../products/1").hasSuffix("product 1  "))
            #expect(try await Self.send(port, "GET", "\(invoke)/x%2F..%2Fproducts/2").hasSuffix("product 2  "))
            #expect(try await Self.send(port, "GET", "/x/./../products/3").hasSuffix("product 3  "))
            let escape = "the app's own v1.0/healthz method"
            #expect(try await Self.send(port, "GET", "\(invoke)/../../v1.0/healthz").hasSuffix(escape))
            #expect(try await Self.send(port, "GET", "\(invoke)/..%2F..%2Fv1.0%2Fhealthz").hasSuffix(escape))
            #expect(try await Self.send(port, "GET", "/../v1.0/healthz").hasSuffix(escape))
            #expect(
                try await Self.send(port, "GET", "/a/../../v1.0/healthz", headers: "dapr-app-id: product-service\r\n").hasSuffix(escape)
            )
        }
    }

    @Test("HEAD is answered wherever GET is: the same status and headers, content-length included, and no body")
    func headWhereGetIsRegistered() async throws {
        try await withServer(mesh: try await Self.routingMesh()) { port throws in
            let get = try await Self.send(port, "GET", "/catalog")
            let head = try await Self.send(port, "HEAD", "/catalog")
            #expect(get.hasPrefix("HTTP/1.1 200"))
            #expect(head.hasPrefix("HTTP/1.1 200"))
            #expect(head.lowercased().contains("content-length: 12\r\n"))
            #expect(head.hasSuffix("\r\n\r\n"))
            #expect(get.components(separatedBy: "\r\n\r\n").first == head.components(separatedBy: "\r\n\r\n").first)
            #expect(try await Self.send(port, "HEAD", "/v1.0/invoke/product-service/method/catalog").hasPrefix("HTTP/1.1 200"))
            #expect(try await Self.send(port, "POST", "/catalog").hasPrefix("HTTP/1.1 405"))
        }
    }
}
