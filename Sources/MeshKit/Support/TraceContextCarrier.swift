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
            let digits: StaticString = "0123456789abcdef"
            var index = 0
            func put(_ byte: UInt8) {
                buffer[index] = byte
                index += 1
            }
            func put(hex word: UInt64) {
                for shift in stride(from: 60, through: 0, by: -4) {
                    put(digits.utf8Start[Int((word >> UInt64(shift)) & 0xF)])
                }
            }
            put(UInt8(ascii: "0"))
            put(UInt8(ascii: "0"))
            put(UInt8(ascii: "-"))
            put(hex: words.0)
            put(hex: words.1)
            put(UInt8(ascii: "-"))
            put(hex: words.2)
            put(UInt8(ascii: "-"))
            put(UInt8(ascii: "0"))
            put(UInt8(ascii: "0"))
            return index
        }
    }
}

struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key] ?? carrier.first { $0.key.lowercased() == key.lowercased() }?.value
    }
}
