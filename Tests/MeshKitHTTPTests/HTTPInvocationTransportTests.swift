import Foundation
import HTTPTypes
import MeshKit
import MeshKitHTTP
import MeshKitTestSupport
import MeshKitTesting
import Testing

struct EchoReply: Decodable {
    var method: String
    var httpMethod: String
    var headers: [String: String]
    var query: [String: String]
    var body: String
}

/// Invocation across processes and against misbehaving peers, all on loopback.
@Suite struct HTTPInvocationTransportTests {
    @Test func invokesAnotherMeshKitProcess() async throws {
        try await Peers.withProductService { peer in
            let (mesh, _) = try await Peers.caller(endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: peer.port)]])

            let product = try await mesh.invoke(appID: "product-service", method: "products/42", httpMethod: .get)
            #expect(product.status == .ok)
            #expect(product.headers[.contentType] == "application/json")
            #expect(String(decoding: product.body, as: UTF8.self).contains(#""id":"42""#))

            var headers = HTTPFields()
            headers[HTTPField.Name("x-custom")!] = "kept"
            let echo = try await mesh.invoke(
                appID: "product-service",
                method: "echo",
                body: Data("payload".utf8),
                headers: headers,
                query: [URLQueryItem(name: "q", value: "a b&c")]
            )
            let reply = try echo.decode(EchoReply.self)
            #expect(reply.method == "echo")
            #expect(reply.httpMethod == "POST")
            #expect(reply.body == "payload")
            #expect(reply.query == ["q": "a b&c"])
            #expect(reply.headers["x-custom"] == "kept")
            #expect(reply.headers["dapr-caller-app-id"] == "order-service")
            #expect(reply.headers["dapr-callee-app-id"] == "product-service")
            #expect(reply.headers["content-type"] == nil, "libcurl's form content type must not be added")
            #expect(reply.headers["x-meshkit-deadline"] == nil, "no deadline, no header")

            let missing = try await mesh.invoke(appID: "product-service", method: "nothing-here")
            #expect(missing.status == .notFound)
        }
    }

    @Test("one reused libcurl handle carries nothing from a request into the next: method, body and headers are each call's own")
    func reusedHandlesStartClean() async throws {
        try await Peers.withProductService { peer in
            let (mesh, _) = try await Peers.caller(endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: peer.port)]])
            var custom = HTTPFields()
            custom[HTTPField.Name("x-only-once")!] = "1"
            let calls: [(HTTPRequest.Method, String, HTTPFields)] = [
                (.post, "first body", custom), (.delete, "", [:]), (.get, "", [:]), (.put, "put body", [:]),
                (.get, "", [:]), (.patch, "", [:]), (.head, "", [:]), (.get, "", [:]),
            ]
            for (httpMethod, body, headers) in calls {
                let response = try await mesh.invoke(
                    appID: "product-service",
                    method: "echo",
                    httpMethod: httpMethod,
                    body: Data(body.utf8),
                    headers: headers,
                    idempotent: true
                )
                #expect(response.status == .ok)
                if httpMethod == .head {
                    #expect(response.body.isEmpty)
                    continue
                }
                let reply = try response.decode(EchoReply.self)
                #expect(reply.httpMethod == httpMethod.rawValue)
                #expect(reply.body == body)
                #expect((reply.headers["x-only-once"] != nil) == (httpMethod == .post))
                #expect(reply.headers["content-type"] == nil && reply.headers["expect"] == nil, "libcurl adds neither")
            }
        }
    }

    @Test func sendsTheRemainingDeadline() async throws {
        try await Peers.withProductService { peer in
            let (mesh, _) = try await Peers.caller(endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: peer.port)]])
            let echo = try await MeshDeadline.$current.withValue(.now + .seconds(2)) {
                try await mesh.invoke(appID: "product-service", method: "echo")
            }
            let value = try #require(try echo.decode(EchoReply.self).headers["x-meshkit-deadline"])
            let milliseconds = try #require(Int(value.dropLast()))
            #expect(value.hasSuffix("m"))
            #expect((1...2000).contains(milliseconds))
        }
    }

    @Test("an attempt timeout past 292 years reaches libcurl as its longest timeout, not a trap")
    func hugeAttemptTimeout() async throws {
        try await Peers.withProductService { peer in
            let (mesh, _) = try await Peers.caller(
                endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: peer.port)]],
                configuration: .init(attemptTimeout: .seconds(Int64.max))
            )
            let echo = try await mesh.invoke(appID: "product-service", method: "echo")
            #expect(echo.status == .ok)
        }
    }

    @Test func invokesAPlainHTTPServerDirectly() async throws {
        try await HTTPStaticFileServer.withServer(files: ["catalog/hello.txt": Data("hello from python".utf8)]) { files in
            let endpoint = Endpoint(host: "127.0.0.1", port: files.port, style: .direct)
            let (mesh, _) = try await Peers.caller(endpoints: ["catalog": [endpoint]])
            let hello = try await mesh.invoke(appID: "catalog", method: "catalog/hello.txt", httpMethod: .get)
            #expect(hello.status == .ok)
            #expect(String(decoding: hello.body, as: UTF8.self) == "hello from python")
            #expect(hello.headers[.contentLength] == "17")
            let missing = try await mesh.invoke(appID: "catalog", method: "catalog/missing.txt", httpMethod: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test func killedPeerIsARefusedConnection() async throws {
        let peer = try await Peers.productService()
        let (mesh, _) = try await Peers.caller(endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: peer.port)]])
        #expect(try await mesh.invoke(appID: "product-service", method: "products/1", httpMethod: .get).status == .ok)
        await peer.kill()
        // Hold the dead peer's port, bound and not listening, so that no server another test
        // starts meanwhile can take it: a connection to it is refused.
        let holder = try holdPort(peer.port)
        defer { close(holder) }
        let error = await #expect(throws: MeshError.self) {
            try await mesh.invoke(appID: "product-service", method: "products/1", httpMethod: .get)
        }
        #expect(error?.code == .connectFailed, "refused: the request was never sent, so even POST may be retried")
        #expect(error?.httpTransportError?.code == .connectionRefused)
        #expect(error?.httpTransportError?.isSafeToRetry == true)
    }

    @Test("a resolved app that cannot be reached is a connect failure (503), never app-not-found (404)")
    func unreachableResolvedAppIsNotAppNotFound() async throws {
        let (listener, port) = try LoopbackSocket.listen()
        close(listener)
        let (mesh, transport) = try await Peers.caller(endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: port)]])
        let error = await #expect(throws: MeshError.self) {
            try await mesh.invoke(appID: "product-service", method: "products/1", httpMethod: .get)
        }
        #expect(error?.code == .connectFailed)
        #expect(error?.code.httpStatus == 503)
        await transport.shutdown()

        let dns = DNSNameResolver(configuration: .init(port: port, apps: ["product-service": .init(host: "localhost")]))
        let viaDNS = try HTTPInvocationTransport(resolver: dns, configuration: .init(attemptTimeout: .seconds(5)))
        let dnsError = await #expect(throws: MeshError.self) {
            try await viaDNS.invoke(InvocationRequest(appID: "product-service", method: "products/1", httpMethod: .get))
        }
        #expect(dnsError?.code == .connectFailed, "the name resolved; only the connection failed")
        await viaDNS.shutdown()
    }

    @Test func stalledPeerTimesOutWithinBound() async throws {
        let stall = try FaultServer(.stall)
        defer { stall.stop() }
        let (mesh, _) = try await Peers.caller(
            endpoints: ["slow": [Endpoint(host: "127.0.0.1", port: stall.port)]],
            configuration: .init(attemptTimeout: .milliseconds(300))
        )
        let start = ContinuousClock.now
        let error = await #expect(throws: MeshError.self) { try await mesh.invoke(appID: "slow", method: "anything") }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .timeout)
        #expect(error?.httpTransportError?.code == .timeout)
        #expect(error?.httpTransportError?.isSafeToRetry == false)
        #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(5), "took \(elapsed)")
    }

    @Test func stallOnAReusedConnectionIsNotSafeToRetry() async throws {
        let server = try FaultServer(.respondOnceThenStall)
        defer { server.stop() }
        let (mesh, _) = try await Peers.caller(
            endpoints: ["slow": [Endpoint(host: "127.0.0.1", port: server.port)]],
            configuration: .init(attemptTimeout: .milliseconds(300))
        )
        #expect(try await mesh.invoke(appID: "slow", method: "first").status == .ok)
        let error = await #expect(throws: MeshError.self) { try await mesh.invoke(appID: "slow", method: "second") }
        #expect(error?.httpTransportError?.code == .timeout)
        #expect(error?.httpTransportError?.isSafeToRetry == false)
        #expect(server.acceptedConnections == 1)
    }

    @Test func cancellationAbortsTheTransfer() async throws {
        let stall = try FaultServer(.stall)
        defer { stall.stop() }
        let (mesh, _) = try await Peers.caller(endpoints: ["slow": [Endpoint(host: "127.0.0.1", port: stall.port)]])
        let call = Task { try await mesh.invoke(appID: "slow", method: "anything") }
        try await eventually("the transfer reached the peer") { stall.acceptedConnections == 1 }
        let cancelled = ContinuousClock.now
        call.cancel()
        let error = await #expect(throws: MeshError.self) { try await call.value }
        #expect(error?.code == .cancelled, "\(String(describing: error))")
        // The peer never answers: only the abort ends the call. The bound leaves room for the
        // suite's start-up burst on two cores (2.0s seen, measured from before the call began).
        #expect(ContinuousClock.now - cancelled < .seconds(3))
    }

    @Test func errorStatusAndHeadersComeBackUnchanged() async throws {
        let busy = try FaultServer(
            .respond(status: 503, reason: "Service Unavailable", headers: ["Retry-After": "7", "X-Reason": "draining"], body: "busy")
        )
        defer { busy.stop() }
        let (mesh, _) = try await Peers.caller(endpoints: ["busy": [Endpoint(host: "127.0.0.1", port: busy.port, style: .direct)]])
        let response = try await mesh.invoke(appID: "busy", method: "orders")
        #expect(response.status.code == 503)
        #expect(response.headers[.retryAfter] == "7")
        #expect(response.headers[HTTPField.Name("x-reason")!] == "draining")
        #expect(String(decoding: response.body, as: UTF8.self) == "busy")
    }

    @Test("a real peer's 503 with Retry-After: 1 is retried after a second, then succeeds")
    func retryAfterFromARealPeer() async throws {
        let draining = try FaultServer(
            .raw([
                "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 4\r\n\r\nbusy",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nready",
            ])
        )
        defer { draining.stop() }
        let transport = try HTTPInvocationTransport(
            resolver: StaticNameResolver(["draining": [Endpoint(host: "127.0.0.1", port: draining.port, style: .direct)]])
        )
        var configuration = MeshConfiguration.testing()
        configuration.remoteTransport = transport
        configuration.resources.resiliencies = [
            ResiliencyResource(
                name: "retry",
                // Backoff from 10ms up to 5s: the peer's second is within what the policy allows.
                retries: [
                    "quick": RetryPolicy(
                        backoff: .exponential(
                            initialInterval: .milliseconds(10),
                            multiplier: 1.5,
                            maxInterval: .seconds(5),
                            randomizationFactor: 0
                        ),
                        maxRetries: 3
                    )
                ],
                apps: ["draining": PolicyNames(retry: "quick")]
            )
        ]
        let mesh = try await Mesh(appID: "order-service", configuration: configuration)
        let start = ContinuousClock.now
        let response = try await mesh.invoke(appID: "draining", method: "orders", httpMethod: .get)
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "ready")
        #expect(ContinuousClock.now - start >= .milliseconds(950), "the retry waited the second the peer asked for, not 10ms")
    }

    @Test func peerClosingMidResponseIsAReset() async throws {
        let breaking = try FaultServer(.closeMidResponse)
        defer { breaking.stop() }
        let (mesh, _) = try await Peers.caller(endpoints: ["flaky": [Endpoint(host: "127.0.0.1", port: breaking.port)]])
        let error = await #expect(throws: MeshError.self) { try await mesh.invoke(appID: "flaky", method: "x") }
        #expect(error?.code == .unavailable)
        #expect(error?.httpTransportError?.code == .connectionReset)
        #expect(error?.httpTransportError?.isSafeToRetry == false)
    }

    @Test func reusesConnectionsAndBalancesRoundRobin() async throws {
        let first = try FaultServer(.respond(status: 200, reason: "OK", headers: [:], body: "first"))
        let second = try FaultServer(.respond(status: 200, reason: "OK", headers: [:], body: "second"))
        defer {
            first.stop()
            second.stop()
        }
        let endpoints = [first, second].map { Endpoint(host: "127.0.0.1", port: $0.port, style: .direct) }
        let roundRobin = DestinationRuleResource(
            name: "pair",
            host: "pair",
            trafficPolicy: TrafficPolicy(loadBalancer: .simple(.roundRobin))
        )
        let (mesh, _) = try await Peers.caller(endpoints: ["pair": endpoints], resources: ResourceSet(destinationRules: [roundRobin]))
        var bodies: [String] = []
        for _ in 0..<6 {
            bodies.append(String(decoding: try await mesh.invoke(appID: "pair", method: "x", httpMethod: .get).body, as: UTF8.self))
        }
        #expect(bodies == ["first", "second", "first", "second", "first", "second"])
        #expect(first.acceptedConnections == 1)
        #expect(second.acceptedConnections == 1)
    }

    @Test func unknownAppAndEmptyResolution() async throws {
        let (mesh, _) = try await Peers.caller(endpoints: [:])
        let error = await #expect(throws: MeshError.self) { try await mesh.invoke(appID: "ghost", method: "x") }
        #expect(error?.code == .appNotFound)
        #expect(error?.message.contains("no endpoint of 'ghost' is known") == true)
    }

    @Test func concurrentInvocationsShareOneThread() async throws {
        try await Peers.withProductService { peer in
            let (mesh, _) = try await Peers.caller(endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: peer.port)]])
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for id in 0..<50 {
                    group.addTask {
                        try await mesh.invoke(appID: "product-service", method: "products/\(id)", httpMethod: .get).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 50)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
    }

    @Test func meshToMeshInOneProcessThroughTheServer() async throws {
        // Two meshes on separate in-process networks, so the call has to cross the HTTP server.
        let callee = try await productMesh()
        try await withServer(mesh: callee) { port in
            let (caller, _) = try await Peers.caller(endpoints: ["product-service": [Endpoint(host: "127.0.0.1", port: port)]])
            let response = try await caller.invoke(
                appID: "product-service",
                method: "products/7",
                body: Data("x".utf8),
                query: [URLQueryItem(name: "q", value: "v")]
            )
            #expect(String(decoding: response.body, as: UTF8.self) == "product 7 v x")
        }
    }
}

/// Against nginx, when it is installed (scripts/system-packages.txt lists it).
@Suite(.enabled(if: HTTPNginxServer.isAvailable, "nginx is not installed"))
struct HTTPNginxInteropTests {
    @Test func http2WithPriorKnowledge() async throws {
        try await HTTPNginxServer.withServer(files: ["hello.txt": Data("hello over h2".utf8)], http2: true) { nginx in
            let endpoint = Endpoint(host: "127.0.0.1", port: nginx.port, style: .direct)
            let (mesh, _) = try await Peers.caller(
                endpoints: ["static": [endpoint]],
                configuration: .init(attemptTimeout: .seconds(5), httpVersion: .http2PriorKnowledge)
            )
            let responses = try await withThrowingTaskGroup(of: InvocationResponse.self) { group in
                for _ in 0..<10 { group.addTask { try await mesh.invoke(appID: "static", method: "hello.txt", httpMethod: .get) } }
                return try await group.reduce(into: [InvocationResponse]()) { $0.append($1) }
            }
            for response in responses {
                #expect(response.status == .ok)
                #expect(String(decoding: response.body, as: UTF8.self) == "hello over h2")
                #expect(response.headers[HTTPField.Name("x-protocol")!] == "HTTP/2.0")
            }
        }
    }

    @Test func http1KeepAlive() async throws {
        try await HTTPNginxServer.withServer(files: ["hello.txt": Data("hello".utf8)]) { nginx in
            let (mesh, _) = try await Peers.caller(endpoints: ["static": [Endpoint(host: "127.0.0.1", port: nginx.port, style: .direct)]])
            for _ in 0..<3 {
                let response = try await mesh.invoke(appID: "static", method: "hello.txt", httpMethod: .get)
                #expect(response.headers[HTTPField.Name("x-protocol")!] == "HTTP/1.1")
                #expect(response.status == .ok)
            }
        }
    }
}

/// TLS against nginx with a self-signed certificate for 127.0.0.1.
@Suite(.enabled(if: HTTPNginxServer.isAvailable, "nginx is not installed"))
struct HTTPTLSTests {
    @Test("https with the peer's authority trusted: verified, and HTTP/2 chosen by ALPN")
    func trustedPeerSpeaksHTTP2() async throws {
        try await HTTPNginxServer.withServer(files: ["hello.txt": Data("hello over TLS".utf8)], tls: true) { nginx in
            let endpoint = Endpoint(host: "127.0.0.1", port: nginx.port, scheme: .https, style: .direct)
            let (mesh, _) = try await Peers.caller(
                endpoints: ["secure": [endpoint]],
                configuration: .init(attemptTimeout: .seconds(5), trustedCertificatesPath: nginx.certificatePath)
            )
            for _ in 0..<3 {
                let response = try await mesh.invoke(appID: "secure", method: "hello.txt", httpMethod: .get)
                #expect(response.status == .ok)
                #expect(String(decoding: response.body, as: UTF8.self) == "hello over TLS")
                #expect(response.headers[HTTPField.Name("x-protocol")!] == "HTTP/2.0")
            }
            let (http1, _) = try await Peers.caller(
                endpoints: ["secure": [endpoint]],
                configuration: .init(attemptTimeout: .seconds(5), httpVersion: .http1, trustedCertificatesPath: nginx.certificatePath)
            )
            let downgraded = try await http1.invoke(appID: "secure", method: "hello.txt", httpMethod: .get)
            #expect(downgraded.headers[HTTPField.Name("x-protocol")!] == "HTTP/1.1")
        }
    }

    @Test("a certificate no trusted authority signed is a TLS failure, told apart from other failures")
    func untrustedPeerIsATLSFailure() async throws {
        try await HTTPNginxServer.withServer(files: ["hello.txt": Data("hello".utf8)], tls: true) { nginx in
            let endpoint = Endpoint(host: "127.0.0.1", port: nginx.port, scheme: .https, style: .direct)
            let (mesh, _) = try await Peers.caller(endpoints: ["secure": [endpoint]])
            let error = try await #require(throws: MeshError.self) {
                try await mesh.invoke(appID: "secure", method: "hello.txt", httpMethod: .get)
            }
            #expect(error.httpTransportError?.code == .tlsFailure)
            #expect(error.code == .unavailable)
        }
    }
}

/// A socket bound to `port` on 127.0.0.1 that never listens.
private func holdPort(_ port: Int) throws -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var reuse: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
        close(descriptor)
        throw TestServerError(message: "could not hold port \(port): errno \(errno)")
    }
    return descriptor
}
