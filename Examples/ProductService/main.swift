// The product service of the design brief's order flow, as a process of its own: a mesh with the
// app ID `product-service` behind a MeshHTTPServer. The order service (or a test) reaches it with
// `mesh.invoke(appID: "product-service", …)` through MeshKitHTTP's transport.
//
//     product-service [port]      (port 0, the default, picks a free port)
//
// It prints `LISTENING <port>` once it accepts connections, and stops on SIGTERM or SIGINT.

import Foundation
import Logging
import MeshKit
import MeshKitHTTP
import ServiceLifecycle

struct Product: Codable, Sendable {
    var id: String
    var name: String
    var priceCents: Int
}

/// What `echo` returns: the request as the product service saw it.
struct Echo: Codable, Sendable {
    var method: String
    var httpMethod: String
    var headers: [String: String]
    var query: [String: String]
    var body: String
}

let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 0 : 0
var logger = Logger(label: "product-service")
logger.logLevel = .warning

let mesh = try await Mesh(appID: "product-service", configuration: MeshConfiguration(network: InProcessNetwork(), logger: logger))
mesh.handleInvocation("products/{id}", httpMethods: [.get]) { request in
    try .json(Product(id: request.pathParameters["id"] ?? "", name: "Widget", priceCents: 1299))
}
mesh.handleInvocation("echo") { request in
    var headers: [String: String] = [:]
    for field in request.headers { headers[field.name.canonicalName] = field.value }
    var query: [String: String] = [:]
    for item in request.query { query[item.name] = item.value ?? "" }
    return try .json(
        Echo(
            method: request.method,
            httpMethod: request.httpMethod.rawValue,
            headers: headers,
            query: query,
            body: String(decoding: request.body, as: UTF8.self)
        )
    )
}

let server = MeshHTTPServer(mesh: mesh, configuration: .init(host: "127.0.0.1", port: port), logger: logger)
let group = ServiceGroup(services: [mesh, server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
try await withThrowingTaskGroup(of: Void.self) { tasks in
    tasks.addTask { try await group.run() }
    tasks.addTask {
        let bound = try await server.boundPort()
        FileHandle.standardOutput.write(Data("LISTENING \(bound)\n".utf8))
    }
    try await tasks.waitForAll()
}
