import Instrumentation
import ServiceContextModule

/// W3C trace context (`traceparent`, `tracestate`) read from and written to string maps: CloudEvent
/// attributes and invocation headers.
enum TraceContextCarrier {
    /// The headers for the current task's context, through the bootstrapped instrument.
    ///
    /// When no instrument writes a `traceparent` (tracing is not bootstrapped), a fresh, unsampled
    /// one is made, so every CloudEvent carries one as Dapr's do.
    static func currentHeaders(context: ServiceContext? = ServiceContext.current) -> (traceparent: String, tracestate: String) {
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context ?? .topLevel, into: &carrier, using: DictionaryInjector())
        return (carrier["traceparent"] ?? randomTraceparent(), carrier["tracestate"] ?? "")
    }

    /// A service context carrying the trace context found in `headers`.
    static func context(extractingFrom headers: [String: String]) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(headers, into: &context, using: DictionaryExtractor())
        return context
    }

    private static func randomTraceparent() -> String {
        var generator = SystemRandomNumberGenerator()
        let traceID = hex(generator.next(), generator.next())
        let spanID = hex(generator.next())
        return "00-\(traceID)-\(spanID)-00"
    }

    private static func hex(_ words: UInt64...) -> String {
        words.map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key] ?? carrier.first { $0.key.lowercased() == key.lowercased() }?.value
    }
}
