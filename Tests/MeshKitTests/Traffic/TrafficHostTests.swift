import Testing

@testable import MeshKit

@Suite("Traffic hosts: subsets and host reuse across re-resolution")
struct TrafficHostTests {
    static func endpoint(_ number: Int, version: String = "v1") -> Endpoint {
        Endpoint(host: "10.0.0.\(number)", port: 8080, labels: ["app": "reviews", "version": version])
    }

    @Test("a subset keeps only the endpoints carrying all its labels")
    func subsetFiltering() {
        let cluster = UpstreamCluster(subset: ["version": "v2", "app": "reviews"])
        let hosts = cluster.update([Self.endpoint(1), Self.endpoint(2, version: "v2"), Self.endpoint(3, version: "v2")])
        #expect(hosts.hosts.map(\.endpoint.host) == ["10.0.0.2", "10.0.0.3"])
        #expect(UpstreamCluster(subset: [:]).update([Self.endpoint(1), Self.endpoint(2)]).count == 2)
        #expect(UpstreamCluster(subset: ["zone": "a"]).update([Self.endpoint(1)]).isEmpty)
    }

    @Test("a re-resolution keeps the host of a known endpoint, with its calls in flight")
    func hostReuse() {
        let cluster = UpstreamCluster()
        let first = cluster.update([Self.endpoint(1), Self.endpoint(2), Self.endpoint(2)])
        #expect(first.count == 2, "duplicates are dropped")
        first[0].beginCall()
        first[0].beginCall()
        let second = cluster.update([Self.endpoint(3), Self.endpoint(1)])
        #expect(second.hosts.map(\.endpoint.host) == ["10.0.0.3", "10.0.0.1"])
        #expect(second[1] === first[0])
        #expect(second[1].callsInFlight == 2)
        first[0].endCall()
        #expect(second[1].callsInFlight == 1)
        let third = cluster.update([Self.endpoint(2)])
        #expect(third[0] !== first[1], "an endpoint that left and came back is a new host")
        #expect(cluster.hosts === third)
        #expect(cluster.eligibleHosts === third, "without outlier detection every host is eligible")
    }

    @Test("a re-resolution keeps a host's ejection")
    func ejectionSurvivesUpdate() {
        let time = TestMonotonicClock()
        let cluster = UpstreamCluster(outlierDetection: OutlierDetectionPolicy(maxEjectionPercent: 100), clock: time.clock)
        let hosts = cluster.update([Self.endpoint(1), Self.endpoint(2)])
        for _ in 0..<5 { cluster.record(hosts[0], outcome: .httpStatus(500)) }
        #expect(hosts[0].isEjected)
        let updated = cluster.update([Self.endpoint(1), Self.endpoint(2), Self.endpoint(3)])
        #expect(updated[0].isEjected)
        #expect(cluster.eligibleHosts.hosts.map(\.endpoint.host) == ["10.0.0.2", "10.0.0.3"])
        #expect(cluster.outlierDetector?.ejectedCount == 1)
    }
}
