import Instrumentation
import ServiceContextModule
import Synchronization

/// Whether the bootstrapped instrument speaks W3C Trace Context: whether a `traceparent` it
/// extracts comes back out when it injects. Asked once per mesh, at its first incoming call
/// (after any bootstrap the app makes at start-up), and remembered.
///
/// Only then is an incoming unsampled `traceparent` the backend's own decision, which the mesh
/// may follow; without a W3C instrument, it is one a MeshKit caller made up.
final class W3CInstrumentProbe: Sendable {
    private static let unknown: UInt8 = 0
    private static let speaksW3C: UInt8 = 1
    private static let speaksOther: UInt8 = 2

    private let answer = Atomic<UInt8>(W3CInstrumentProbe.unknown)

    /// Whether the instrument round-trips a `traceparent`.
    var instrumentSpeaksW3C: Bool {
        switch answer.load(ordering: .relaxed) {
        case Self.speaksW3C: return true
        case Self.speaksOther: return false
        default:
            let speaks = Self.probe()
            answer.store(speaks ? Self.speaksW3C : Self.speaksOther, ordering: .relaxed)
            return speaks
        }
    }

    private static func probe() -> Bool {
        var context = ServiceContext.topLevel
        let sample = ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]
        InstrumentationSystem.instrument.extract(sample, into: &context, using: DictionaryExtractor())
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier["traceparent"] != nil
    }
}
