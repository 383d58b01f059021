import HTTPTypes
import Instrumentation
import ServiceContextModule

/// Trace context written to and read from string maps: CloudEvent attributes and invocation
/// headers.
///
/// Whatever the bootstrapped (or task-local) instrument injects travels: W3C `traceparent` and
/// `tracestate` for OpenTelemetry, other keys for other instruments. When no instrument writes a
/// `traceparent` (tracing is not bootstrapped), a fresh, unsampled one is made, so every
/// CloudEvent carries one as Dapr's do.
enum TraceContextCarrier {
    /// The W3C keys, which CloudEvents carry as attributes of their own.
    static let w3cKeys: Set<String> = ["traceparent", "tracestate"]

    /// The carrier for the current task's context, with a `traceparent` always present.
    static func inject(context: ServiceContext? = ServiceContext.current) -> [String: String] {
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context ?? .topLevel, into: &carrier, using: DictionaryInjector())
        if carrier["traceparent"] == nil {
            carrier["traceparent"] = randomTraceparent()
        }
        return carrier
    }

    /// Writes the current task's trace context into request headers, each key the instrument
    /// injects in place of a field of that name, with a `traceparent` always present.
    static func inject(into headers: inout HTTPFields, context: ServiceContext? = ServiceContext.current) {
        headers[.traceparent] = nil
        InstrumentationSystem.instrument.inject(context ?? .topLevel, into: &headers, using: HTTPFieldsInjector())
        if headers.value(of: .traceparent) == nil {
            headers[.traceparent] = randomTraceparent()
        }
    }

    /// The sampled flag of the current task's trace, as the instrument would send it in a
    /// `traceparent`; `nil` when the task has no trace (or the instrument writes none).
    static func currentSampledFlag() -> Bool? {
        guard let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier["traceparent"].flatMap(TraceParent.sampledFlag)
    }

    /// A service context carrying the trace context found in `carrier`.
    static func context(extractingFrom carrier: [String: String]) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(carrier, into: &context, using: DictionaryExtractor())
        return context
    }

    /// A service context carrying the trace context found in request headers, read in place.
    static func context(extractingFrom headers: HTTPFields) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(headers, into: &context, using: HTTPFieldsExtractor())
        return context
    }

    /// `00-<trace ID>-<span ID>-00`, formatted into one allocation.
    static func randomTraceparent() -> String {
        let words = (FastRandom.next(), FastRandom.next(), FastRandom.next())
        return String(unsafeUninitializedCapacity: 55) { buffer in
            var index = 0
            for byte in "00-".utf8 { HexDigits.write(byte, into: buffer, at: &index) }
            HexDigits.write(words.0, into: buffer, at: &index)
            HexDigits.write(words.1, into: buffer, at: &index)
            HexDigits.write(UInt8(ascii: "-"), into: buffer, at: &index)
            HexDigits.write(words.2, into: buffer, at: &index)
            for byte in "-00".utf8 { HexDigits.write(byte, into: buffer, at: &index) }
            return index
        }
    }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

/// Writes trace keys as header fields; an empty value is not written.
struct HTTPFieldsInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout HTTPFields) {
        guard !value.isEmpty, let name = HTTPField.Name(traceKey: key) else { return }
        carrier[name] = value
    }
}

/// Reads trace keys from header fields, in place.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(traceKey: key).flatMap { carrier.value(of: $0) }
    }
}

extension HTTPField.Name {
    /// The field for a trace key; W3C's two keys, which every call carries, without parsing
    /// the name again.
    init?(traceKey key: String) {
        switch key {
        case "traceparent": self = .traceparent
        case "tracestate": self = .tracestate
        default: self.init(key)
        }
    }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key] ?? carrier.first { $0.key.lowercased() == key.lowercased() }?.value
    }
}
