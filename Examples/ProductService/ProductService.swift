// The product service of the design brief's order flow, as a process of its own: a mesh with the
// app ID `product-service` behind a MeshHTTPServer. The order service (or a test) reaches it with
// `mesh.invoke(appID: "product-service", …)` through MeshKitHTTP's transport.
//
//     product-service [port] [--registry-redis-host host:port] [--registry-ttl-ms 10000]
//                     [--shutdown-grace-ms 10000] [--sleep-route]
//                     [--instance name] [--label key=value ...] [--delay-ms 0] [--fail-first 0]
//
// Port 0, the default, picks a free port. With `--registry-redis-host` it registers itself in the
// Redis name registry while it runs, so callers that resolve with `RedisNameRegistry` find it.
// It prints `LISTENING <port>` once it accepts connections, and stops on SIGTERM or SIGINT: requests
// in flight get `--shutdown-grace-ms` to finish. `--sleep-route` adds a `sleep/{ms}` method that
// answers after that long, for tests of what a shutdown does to a slow handler.
//
// For traffic tests, one instance among several: `whoami` answers the `--instance` name, after
// `--delay-ms`, and with 503 for the first `--fail-first` calls; `--label version=v2` (repeatable)
// goes into its registry entry, for DestinationRule subsets.
//
// For security tests: `--tls-cert`, `--tls-key` and `--tls-bundle` (PEM files, watched every
// `--tls-poll-ms`) serve mTLS under `--tls-mode` (STRICT by default, PERMISSIVE or DISABLE);
// `peer` answers the caller's SPIFFE ID as the server verified it (`none` without one). With
// `--call app=host:port` (repeatable) the service reaches those apps over mTLS with the same
// certificate, and `relay/{app}` answers what that app's `peer` method answers.

import ArgumentParser
import Foundation
import Logging
import MeshKit
import MeshKitHTTP
import MeshKitRedis
import MeshKitSecurity
import ServiceLifecycle
import Synchronization

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

@main
struct ProductService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "product-service",
        abstract: "The product service of the order flow, served over HTTP."
    )

    @Argument(help: "The loopback port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "Register in the Redis name registry at this host:port while running.")
    var registryRedisHost: String?

    @Option(name: .customLong("registry-ttl-ms"), help: "How long the registration outlives the last heartbeat, in milliseconds.")
    var registryTTLMs = 10_000

    @Option(name: .customLong("shutdown-grace-ms"), help: "How long a graceful shutdown lets requests in flight finish, in milliseconds.")
    var shutdownGraceMs: Int?

    @Flag(help: "Also answer `sleep/{ms}` after sleeping that long.")
    var sleepRoute = false

    @Option(help: "The instance name `whoami` answers.")
    var instance = "product-service"

    @Option(name: .customLong("label"), help: "A key=value label of the registered endpoint; repeatable.")
    var labels: [String] = []

    @Option(name: .customLong("delay-ms"), help: "How long `whoami` waits before answering, in milliseconds.")
    var delayMs = 0

    @Option(name: .customLong("fail-first"), help: "How many `whoami` calls answer 503 before it answers 200.")
    var failFirst = 0

    @Option(help: "The workload certificate (PEM) to serve mTLS with.")
    var tlsCert: String?

    @Option(help: "The private key (PEM) of --tls-cert.")
    var tlsKey: String?

    @Option(help: "The trust bundle (PEM) that verifies peers.")
    var tlsBundle: String?

    @Option(help: "STRICT, PERMISSIVE or DISABLE.")
    var tlsMode = "STRICT"

    @Option(name: .customLong("tls-poll-ms"), help: "How often the certificate files are read again, in milliseconds.")
    var tlsPollMs = 1000

    @Option(name: .customLong("call"), help: "An app=host:port this service calls over mTLS; repeatable.")
    var calls: [String] = []

    func run() async throws {
        var logger = Logger(label: "product-service")
        logger.logLevel = .warning
        let credentials = try securityCredentials(logger: logger)
        var meshConfiguration = MeshConfiguration(network: InProcessNetwork(), logger: logger)
        if let credentials, !calls.isEmpty {
            meshConfiguration.remoteTransport = try HTTPInvocationTransport(
                resolver: StaticNameResolver(try Self.parse(calls: calls)),
                configuration: .init(attemptTimeout: .seconds(5), mutualTLS: .init(credentials: credentials))
            )
        }
        let mesh = try await Mesh(appID: "product-service", configuration: meshConfiguration)
        Self.registerHandlers(on: mesh)
        Self.registerSecurityHandlers(on: mesh)
        if sleepRoute { Self.registerSleepHandler(on: mesh) }
        Self.registerWhoAmI(on: mesh, instance: instance, delay: .milliseconds(delayMs), failFirst: failFirst)
        let endpointLabels = try Self.parse(labels: labels)
        var configuration = MeshHTTPServer.Configuration(host: "127.0.0.1", port: port)
        if let shutdownGraceMs { configuration.shutdownGracePeriod = .milliseconds(shutdownGraceMs) }
        if let credentials {
            guard let mode = PeerAuthenticationMode(rawValue: tlsMode.uppercased()) else {
                throw ValidationError("--tls-mode is STRICT, PERMISSIVE or DISABLE, not '\(tlsMode)'")
            }
            configuration.tls = .init(credentials: credentials, mode: mode)
        }
        let server = MeshHTTPServer(mesh: mesh, configuration: configuration, logger: logger)
        var services: [any Service] = [mesh, server]
        if let credentials { services.append(credentials) }
        if let registryRedisHost {
            let registry = try RedisNameRegistry(
                redisHost: registryRedisHost,
                settings: .init(ttl: .milliseconds(registryTTLMs)),
                logger: logger
            )
            services.append(
                registry.registration(appID: mesh.appID) {
                    Endpoint(host: "127.0.0.1", port: try await server.boundPort(), labels: endpointLabels)
                }
            )
        }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let bound = try await server.boundPort()
                FileHandle.standardOutput.write(Data("LISTENING \(bound)\n".utf8))
            }
            try await tasks.waitForAll()
        }
    }

    static func registerHandlers(on mesh: Mesh) {
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
    }

    static func registerWhoAmI(on mesh: Mesh, instance: String, delay: Duration, failFirst: Int) {
        let calls = Mutex(0)
        mesh.handleInvocation("whoami") { _ in
            if delay > .zero { try await Task.sleep(for: delay) }
            let number = calls.withLock { count in
                count += 1
                return count
            }
            return .text(instance, status: number <= failFirst ? .serviceUnavailable : .ok)
        }
    }

    static func parse(labels: [String]) throws -> [String: String] {
        var parsed: [String: String] = [:]
        for label in labels {
            let parts = label.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("a label is key=value, not '\(label)'") }
            parsed[String(parts[0])] = String(parts[1])
        }
        return parsed
    }

    static func registerSleepHandler(on mesh: Mesh) {
        mesh.handleInvocation("sleep/{ms}") { request in
            let milliseconds = Int(request.pathParameters["ms"] ?? "") ?? 0
            try await Task.sleep(for: .milliseconds(milliseconds))
            return .text("slept \(milliseconds) ms")
        }
    }
}
