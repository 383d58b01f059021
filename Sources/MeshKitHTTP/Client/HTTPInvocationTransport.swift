import Foundation
import HTTPTypes
public import MeshKit
import Synchronization

/// The ``InvocationTransport`` that reaches apps in other processes or on other machines over
/// HTTP, through libcurl.
///
/// Inside a ``Mesh``, the mesh resolves the app ID with the transport's ``resolver``, routes and
/// balances the call, and the transport sends each attempt to the endpoint it is given
/// (``invoke(_:at:)``). Used on its own, ``invoke(_:)`` resolves and picks an endpoint round
/// robin. Either way the request goes to `/v1.0/invoke/{appID}/method/{method}` (a MeshKit ``MeshHTTPServer`` or a Dapr
/// sidecar) or to `/{method}` (a plain HTTP server; see ``Endpoint/Style``). The caller's
/// headers pass through, including the `traceparent`, `tracestate`, `dapr-caller-app-id` and
/// `dapr-callee-app-id` headers that `Mesh.invoke` adds; the callee's status, headers and body
/// come back unchanged, whatever the status.
///
/// ```swift
/// let transport = try HTTPInvocationTransport(resolver: StaticNameResolver([
///     "product-service": [Endpoint(host: "127.0.0.1", port: 3501)],
/// ]))
/// let mesh = try await Mesh(appID: "order-service", configuration: .init(remoteTransport: transport))
/// ```
///
/// Transfers run on libcurl multi handles, each driven by a thread the transport owns
/// (``Configuration/threads``, one by default, named `meshkit-curl-N`); connections are kept
/// alive and reused. The threads stop when the transport is shut down (``shutdown()``, or as a
/// `Service` in a `ServiceGroup`, see ``run()``) or deinitialised. Failures throw `MeshError`
/// with an ``HTTPTransportError`` as `underlying`.
///
/// Resources are bounded by default, with Envoy's defaults: at most 1024 connections per host
/// (``Configuration/maxConnectionsPerHost``), further calls waiting for one within their timeout,
/// at most 1024 of them (``Configuration/maxPendingRequestsPerHost``, then
/// ``HTTPTransportError/Code/poolOverflow``), and response bodies of at most 16 MiB
/// (``Configuration/maxResponseBodySize``).
///
/// Calls are secured as the transport's configuration (``Configuration/mutualTLS``,
/// ``Configuration/trustedCertificatesPath``) and a DestinationRule's `tls` say: `ISTIO_MUTUAL`
/// with the mesh's own certificates, `SIMPLE` and `MUTUAL` with the rule's own files, `DISABLE`
/// in plaintext (see ``invoke(_:at:policy:)``).
public final class HTTPInvocationTransport: InvocationTransport {
    /// The resolver of app IDs.
    public let resolver: any NameResolver
    /// The configuration.
    public let configuration: Configuration
    private let balancer = RoundRobinBalancer()
    private let engines: [CurlEngine]
    private let nextEngine = Atomic<Int>(0)
    /// The bound on calls in flight per host; `nil` without a connection limit.
    private let admission: HostAdmission?
    /// The PEM bytes of the mTLS credentials in force; `nil` without mTLS.
    let tlsMaterial: CurlTLS.MaterialCache?
    /// The certificate files DestinationRules name (`SIMPLE`, `MUTUAL`), read by the engines.
    let ruleFiles = PEMFileCache()

    /// Creates a transport and starts its threads.
    public init(resolver: some NameResolver, configuration: Configuration = Configuration()) throws(MeshError) {
        self.resolver = resolver
        self.configuration = configuration
        let threads = max(1, configuration.threads)
        let limitsConnections = configuration.maxConnectionsPerHost > 0
        self.admission =
            limitsConnections
            ? HostAdmission(maxConnections: configuration.maxConnectionsPerHost, maxPending: configuration.maxPendingRequestsPerHost)
            : nil
        // Each thread's multi handle gets its share of the connections, at least one.
        let connectionsPerThread = limitsConnections ? max(1, configuration.maxConnectionsPerHost / threads) : 0
        self.tlsMaterial = configuration.mutualTLS.map { CurlTLS.MaterialCache(source: $0.credentials) }
        do {
            self.engines = try (0..<threads).map { index throws(HTTPTransportError) in
                try CurlEngine(
                    settings: .init(
                        maxConnectionsPerHost: connectionsPerThread,
                        maxCachedConnections: configuration.maxCachedConnections,
                        trustedCertificatesPath: configuration.trustedCertificatesPath,
                        mutualTLS: configuration.mutualTLS != nil
                    ),
                    name: "meshkit-curl-\(index)"
                )
            }
        } catch {
            throw MeshError(.componentInitFailed, "the HTTP transport could not start: \(error.message)", underlying: error)
        }
    }

    deinit {
        for engine in engines { engine.requestStop() }
    }

    /// Stops the transport's threads and returns once they have ended. Invocations in flight
    /// fail with ``MeshError/Code/cancelled``, and so do later ones. Idempotent: a second call
    /// returns at once. The resolver is not shut down: it belongs to whoever created it.
    public func shutdown() async {
        for engine in engines { engine.requestStop() }
        for engine in engines { await engine.stop() }
    }

    /// Resolves the app ID, picks an endpoint round robin and sends the request there: for using
    /// the transport without a mesh, which balances by itself.
    public func invoke(_ request: InvocationRequest) async throws -> InvocationResponse {
        let endpoints: [Endpoint]
        do {
            endpoints = try await resolver.resolve(appID: request.appID)
        } catch let error as MeshError {
            throw error
        } catch let error as HTTPTransportError {
            throw MeshError(transport: error, appID: request.appID)
        } catch {
            throw MeshError(
                .unavailable,
                "resolving '\(request.appID)' failed: \(error)",
                context: .init(subject: request.appID),
                underlying: error
            )
        }
        guard let endpoint = balancer.pick(appID: request.appID, from: endpoints) else {
            throw MeshError(
                transport: HTTPTransportError(.noEndpoints, "the name resolver knows no endpoint of '\(request.appID)'"),
                appID: request.appID
            )
        }
        return try await invoke(request, at: endpoint)
    }

    /// Sends `request` to one endpoint, bypassing resolution and load balancing: what a mesh calls
    /// for each attempt, with the DestinationRule's policy for the endpoint.
    ///
    /// From the policy's `connectionPool`: `connectTimeout` replaces the configured one,
    /// `idleTimeout` closes a connection unused that long instead of reusing it,
    /// `maxRequestsPerConnection: 1` turns keep-alive off (libcurl cannot count the requests of
    /// a connection, so other values are not applied). `h2UpgradePolicy` changes nothing here:
    /// over TLS the transport already offers HTTP/2 by ALPN (``HTTPVersion/negotiated``), and
    /// over plaintext it stays on HTTP/1.1, since `MeshHTTPServer` speaks no h2c and libcurl's
    /// `Upgrade: h2c` on reused connections stalled calls in MeshKit's tests.
    ///
    /// From its `tls` (Istio's `ClientTLSSettings`):
    /// - `ISTIO_MUTUAL` calls over mTLS with the mesh's own certificates
    ///   (``Configuration/mutualTLS``, which it requires, else the call fails with
    ///   ``MeshKit/MeshError/Code/invalidConfiguration``, never sent in plaintext instead);
    /// - `SIMPLE` calls the endpoint over TLS (`https`, on its port), verifying the server's
    ///   chain against the PEM file `caCertificates` names, else against
    ///   ``Configuration/trustedCertificatesPath`` or the system's authorities, and its name:
    ///   the host name (`sni` when set, else the endpoint's host) with libcurl's usual check,
    ///   or, when `subjectAltNames` lists names, one of them as a DNS, URI or IP SAN of the
    ///   server's certificate, checked before any request byte is sent
    ///   (``HTTPTransportError/Code/peerIdentityMismatch``). An `sni` other than the endpoint's
    ///   host is the name sent in SNI, verified and carried in the `Host` header, while the
    ///   connection still goes to the endpoint's host and port (as `curl --connect-to`);
    /// - `MUTUAL` is `SIMPLE` presenting the certificate and key in the files
    ///   `clientCertificate` and `privateKey` name, both required (else
    ///   ``MeshKit/MeshError/Code/invalidConfiguration`` naming the app and the field);
    /// - `DISABLE` calls over plaintext even when mTLS is configured;
    /// - without a mode the configuration decides.
    ///
    /// `SIMPLE` and `MUTUAL` never present or trust the mesh's workload credentials, nor check a
    /// SPIFFE ID. Their files are read by the transport's threads when a call needs them, and
    /// again when they change; a file that cannot be read or holds no usable PEM fails the call,
    /// unsent, with ``HTTPTransportError/Code/tlsFileUnusable``
    /// (``MeshKit/MeshError/Code/invalidConfiguration``) naming it.
    public func invoke(_ request: InvocationRequest, at endpoint: Endpoint, policy: TrafficPolicy) async throws -> InvocationResponse {
        var endpoint = endpoint
        let tls = try tls(for: request.appID, at: &endpoint, policy: policy.tls)
        let pool = policy.connectionPool
        var target = endpoint
        if let serverName = tls?.serverName { target.host = serverName }
        let url = target.invocationURL(appID: request.appID, method: request.method, query: request.query)
        var timeout = configuration.attemptTimeout
        var headers = request.headers
        if let remaining = MeshDeadline.remaining() {
            guard remaining > .zero else {
                throw MeshError(
                    transport: HTTPTransportError(.timeout, "the deadline passed before the attempt started", url: url),
                    appID: request.appID
                )
            }
            timeout = min(timeout, remaining)
            headers[.meshKitDeadline] = DeadlineHeader.value(remaining)
        }
        if let token = configuration.apiToken { headers[.daprAPIToken] = token.headerValue }
        let method = request.httpMethod.rawValue
        let sendsBody = !request.body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH"
        let curlRequest = CurlRequest(
            url: url,
            method: method,
            headerLines: Self.headerLines(headers, sendsBody: sendsBody),
            body: request.body,
            sendsBody: sendsBody,
            timeout: timeout,
            connectTimeout: min(pool?.connectTimeout ?? configuration.connectTimeout, timeout),
            httpVersion: configuration.httpVersion,
            reusesConnections: pool?.maxRequestsPerConnection != 1,
            maxIdleTime: pool?.idleTimeout,
            maxResponseBodySize: configuration.maxResponseBodySize,
            tls: endpoint.scheme == .https ? tls : nil
        )
        let host = HostAdmission.Host(name: endpoint.host, port: endpoint.port)
        if let admission {
            guard admission.enter(host) else {
                throw MeshError(
                    transport: HTTPTransportError(
                        .poolOverflow,
                        "\(configuration.maxPendingRequestsPerHost) calls already wait for one of the "
                            + "\(configuration.maxConnectionsPerHost) connections to \(endpoint.origin); the call was not sent",
                        url: url
                    ),
                    appID: request.appID
                )
            }
        }
        defer { admission?.leave(host) }
        let response: CurlResponse
        do {
            let turn = engines.count == 1 ? 0 : nextEngine.add(1, ordering: .relaxed).oldValue
            response = try await engines[Int(UInt(bitPattern: turn) % UInt(engines.count))].perform(curlRequest)
        } catch let error as HTTPTransportError {
            throw MeshError(transport: error, appID: request.appID)
        }
        return InvocationResponse(status: HTTPResponse.Status(code: response.status), headers: response.headerFields, body: response.body)
    }

    /// Headers that describe one hop's connection or framing; libcurl writes its own.
    private static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "content-length", "host",
    ]

    /// The request headers as libcurl header lines. When a body is sent, libcurl's own
    /// `Expect: 100-continue` is turned off, and so is its form content type when the caller
    /// gives none; without a body libcurl adds neither.
    static func headerLines(_ headers: HTTPFields, sendsBody: Bool) -> [String] {
        var lines: [String] = []
        lines.reserveCapacity(headers.count + 2)
        var hasContentType = false
        var hasExpect = false
        for field in headers {
            let name = field.name.canonicalName
            if hopByHop.contains(name) { continue }
            if name == "content-type" { hasContentType = true }
            if name == "expect" { hasExpect = true }
            // `name;` is libcurl's way to send a header with an empty value.
            lines.append(field.value.isEmpty ? "\(field.name.rawName);" : "\(field.name.rawName): \(field.value)")
        }
        if sendsBody && !hasExpect { lines.append("Expect:") }
        if sendsBody && !hasContentType { lines.append("Content-Type:") }
        return lines
    }
}
