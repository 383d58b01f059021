import Foundation
import MeshKit
import MeshKitHTTP
import MeshKitTesting
import Testing

@Suite("the access log of IstioOperator's meshConfig.accessLogFile")
struct AccessLogTests {
    @Test("one line per call in Envoy's default format, naming the endpoint that answered; a refused call has status 0 and its flag")
    func envoyFormat() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshkit-access-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let logFile = folder.appendingPathComponent("access.log").path
        try await ProductFleet.run([.init(name: "only")]) { fleet in
            let resources = try TrafficFixtures.parse(
                """
                apiVersion: install.istio.io/v1alpha1
                kind: IstioOperator
                metadata: { name: control-plane }
                spec:
                  profile: default
                  meshConfig: { accessLogFile: \(logFile), enableTracing: true }
                """
            )
            let (mesh, transport) = try await fleet.caller(resources: resources)
            #expect(try await mesh.whoami().status == 200)
            await #expect(throws: MeshError.self) { try await mesh.invoke(appID: "nowhere", method: "x") }
            await mesh.shutdown()
            await transport.shutdown()

            let lines = try String(contentsOfFile: logFile, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(lines)")
            let port = fleet.processes[0].port
            let ok = try #require(lines.first)
            let pattern =
                #/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] "GET /whoami HTTP/1\.1" 200 - 0 4 \d+ - "-" "-" "-" "product-service" "127\.0\.0\.1:(\d+)"$/#
            let match = try #require(ok.wholeMatch(of: pattern), "\(ok)")
            #expect(Int(match.1) == port)
            #expect(lines.last?.contains(#""POST /x HTTP/1.1" 0 UH 0 0 "#) == true, "\(lines)")
        }
    }

    @Test("the design brief's IstioOperator loads unchanged: access log to /dev/stdout, tracing on")
    func seedOperator() throws {
        let resources = try TrafficFixtures.load("seed-istio/istio-operator.yaml")
        #expect(resources.meshConfigs.first?.accessLogFile == "/dev/stdout")
        #expect(resources.meshConfigs.first?.tracingEnabled == true)
    }
}
