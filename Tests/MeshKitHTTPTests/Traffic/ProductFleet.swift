import CoreMetrics
import Foundation
import HTTPTypes
import MeshKit
import MeshKitHTTP
import MeshKitTestSupport
import MeshKitTesting

/// Several real `product-service` processes on loopback, each answering `whoami` with its name:
/// the peers of the traffic-management tests.
struct ProductFleet: Sendable {
    /// One instance to start.
    struct Member: Sendable {
        var name: String
        var labels: [String: String] = [:]
        var extraArguments: [String] = []
    }

    let members: [Member]
    let processes: [HTTPTestProcess]

    /// Starts `members`, runs `body`, and stops them all.
    static func run<T: Sendable>(
        _ members: [Member],
        registryRedisHost: String? = nil,
        _ body: (ProductFleet) async throws -> T
    ) async throws -> T {
        var processes: [HTTPTestProcess] = []
        do {
            for member in members {
                var arguments = ["0", "--instance", member.name] + member.extraArguments
                for (key, value) in member.labels.sorted(by: { $0.key < $1.key }) { arguments += ["--label", "\(key)=\(value)"] }
                if let registryRedisHost { arguments += ["--registry-redis-host", registryRedisHost, "--registry-ttl-ms", "2000"] }
                processes.append(
                    try await HTTPTestProcess.start(
                        executable: try Peers.productServiceBinary(),
                        arguments: arguments,
                        readyPattern: #"LISTENING (\d+)"#
                    )
                )
            }
            let fleet = ProductFleet(members: members, processes: processes)
            let result = try await body(fleet)
            for process in processes { await process.kill() }
            return result
        } catch {
            for process in processes { await process.kill() }
            throw error
        }
    }

    /// The endpoints of the fleet, with each member's labels.
    var endpoints: [Endpoint] {
        zip(members, processes).map { member, process in Endpoint(host: "127.0.0.1", port: process.port, labels: member.labels) }
    }

    /// The process of the member named `name`.
    func process(_ name: String) -> HTTPTestProcess? {
        zip(members, processes).first { $0.0.name == name }?.1
    }

    /// A caller mesh that reaches the fleet as `product-service` through a static resolver,
    /// under `resources`.
    func caller(
        resources: ResourceSet,
        monotonicClock: MonotonicClock = .system,
        network: InProcessNetwork = InProcessNetwork(),
        transport: HTTPInvocationTransport.Configuration = .init(attemptTimeout: .seconds(5)),
        metricsFactory: (any MetricsFactory)? = nil
    ) async throws -> (Mesh, HTTPInvocationTransport) {
        try await Self.caller(
            resolver: StaticNameResolver(["product-service": endpoints]),
            resources: resources,
            monotonicClock: monotonicClock,
            network: network,
            transport: transport,
            metricsFactory: metricsFactory
        )
    }

    /// A caller mesh that resolves with `resolver`, under `resources`.
    static func caller(
        resolver: some NameResolver,
        resources: ResourceSet,
        monotonicClock: MonotonicClock = .system,
        network: InProcessNetwork = InProcessNetwork(),
        transport configuration: HTTPInvocationTransport.Configuration = .init(attemptTimeout: .seconds(5)),
        metricsFactory: (any MetricsFactory)? = nil
    ) async throws -> (Mesh, HTTPInvocationTransport) {
        let transport = try HTTPInvocationTransport(resolver: resolver, configuration: configuration)
        var meshConfiguration = MeshConfiguration.testing(network: network, resources: resources, monotonicClock: monotonicClock)
        meshConfiguration.remoteTransport = transport
        meshConfiguration.metricsFactory = metricsFactory
        return (try await Mesh(appID: "order-service", configuration: meshConfiguration), transport)
    }
}

extension Mesh {
    /// Calls `whoami` on `product-service` and returns the status and the instance's name.
    func whoami(headers: HTTPFields = [:]) async throws -> (status: Int, name: String) {
        let response = try await invoke(appID: "product-service", method: "whoami", httpMethod: .get, headers: headers)
        return (response.status.code, String(decoding: response.body, as: UTF8.self))
    }

    /// Calls `whoami` `count` times, `concurrency` at a time, and counts the answers by instance
    /// name (failed calls count under their error code).
    func whoamiCounts(_ count: Int, concurrency: Int = 8, headers: HTTPFields = [:]) async -> [String: Int] {
        await withTaskGroup(of: [String: Int].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var counts: [String: Int] = [:]
                    for _ in stride(from: worker, to: count, by: concurrency) {
                        do {
                            let (status, name) = try await self.whoami(headers: headers)
                            counts[status == 200 ? name : "status \(status)", default: 0] += 1
                        } catch {
                            counts["error \((error as? MeshError)?.code.description ?? "\(error)")", default: 0] += 1
                        }
                    }
                    return counts
                }
            }
            var total: [String: Int] = [:]
            for await counts in group { total.merge(counts, uniquingKeysWith: +) }
            return total
        }
    }
}
