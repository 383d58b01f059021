import Foundation
import Logging
import MeshKit
import MeshKitOTel
import OTel
import ServiceLifecycle
import Tracing

/// The cost of tracing per `invoke`, with swift-otel's real OTLP/HTTP exporter, in one run.
///
/// `tracing-cost <OTLP endpoint, such as http://127.0.0.1:4318> [invokes per round] [rounds]`
///
/// Three modes, interleaved round by round so that the machine's drift hits them alike; each
/// round times `invokes` in-process invocations (client span, server span) in each mode, and the
/// median of the rounds' differences from `off` is reported:
/// - `off`: MeshKit's tracing off (`enableTracing: false`), the baseline;
/// - `unsampled`: spans made under swift-otel with its sampler `always_off`;
/// - `sampled`: spans made, sampled and exported over OTLP/HTTP.
@main
struct TracingCost {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let endpoint = arguments.count > 1 ? arguments[1] : "http://127.0.0.1:4318"
        let invokes = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
        let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 15 : 15

        var sampledConfiguration = OTel.Configuration.meshKit(appID: "bench", tracing: nil)
        sampledConfiguration.traces.otlpExporter.endpoint = endpoint + "/v1/traces"
        sampledConfiguration.traces.sampler = .alwaysOn
        sampledConfiguration.traces.batchSpanProcessor.maxQueueSize = 1 << 20
        sampledConfiguration.diagnosticLogLevel = .error
        var unsampledConfiguration = sampledConfiguration
        unsampledConfiguration.traces.sampler = .alwaysOff
        let sampled = try OTel.makeTracingBackend(configuration: sampledConfiguration)
        let unsampled = try OTel.makeTracingBackend(configuration: unsampledConfiguration)
        let exporters = Task {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await sampled.service.run() }
                group.addTask { try await unsampled.service.run() }
            }
        }

        let traced = try await meshPair(tracingEnabled: true)
        let untraced = try await meshPair(tracingEnabled: false)
        var times: [String: [Double]] = ["off": [], "unsampled": [], "sampled": []]
        for round in 0...rounds {
            let off = try await withTracer(sampled.factory) { try await time(untraced.caller, invokes) }
            let notSampled = try await withTracer(unsampled.factory) { try await time(traced.caller, invokes) }
            let yes = try await withTracer(sampled.factory) { try await time(traced.caller, invokes) }
            if round == 0 { continue }  // warm-up
            times["off", default: []].append(off)
            times["unsampled", default: []].append(notSampled)
            times["sampled", default: []].append(yes)
        }
        // Each round times the three modes back to back, so a round's differences share the
        // machine's state; their median moves less with the machine's drift than a difference of
        // medians does.
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let off = times["off", default: []]
        print("per invoke, \(rounds) rounds of \(invokes) in-process invokes (client + server span):")
        print(String(format: "  off        %8.0f ns (median)", median(off)))
        for mode in ["unsampled", "sampled"] {
            let values = times[mode, default: []]
            let added = zip(values, off).map { $0 - $1 }
            let label = mode.padding(toLength: 10, withPad: " ", startingAt: 0)
            print(String(format: "  \(label) %8.0f ns (median), +%.2f µs (median of the rounds' differences)", median(values), median(added) / 1000))
        }
        exporters.cancel()
        _ = (traced.callee, untraced.callee)
    }

    /// A caller and a callee in one process, with MeshKit's tracing on or off.
    static func meshPair(tracingEnabled: Bool) async throws -> (caller: Mesh, callee: Mesh) {
        var configuration = MeshConfiguration(
            network: InProcessNetwork(),
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        if !tracingEnabled {
            configuration.resources.meshConfigs = [MeshConfigResource(name: "istio", enableTracing: false)]
        }
        configuration.addsInMemoryDefaults = false
        let callee = try await Mesh(appID: "catalog", configuration: configuration)
        callee.handleInvocation("products/{sku}") { _ in InvocationResponse(status: .ok) }
        let caller = try await Mesh(appID: "shop", configuration: configuration)
        return (caller, callee)
    }

    /// Nanoseconds per invoke over `count` invokes.
    static func time(_ mesh: Mesh, _ count: Int) async throws -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count {
            _ = try await mesh.invoke(appID: "catalog", method: "products/mug", httpMethod: .get, methodPattern: "products/{sku}")
        }
        let elapsed = start.duration(to: .now).components
        return (Double(elapsed.seconds) * 1e9 + Double(elapsed.attoseconds) / 1e9) / Double(count)
    }
}
