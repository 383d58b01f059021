import Synchronization
import Tracing

/// A tracer whose sampler says no to every span, as swift-otel's `always_off` sampler does:
/// spans are started (and their names kept, to count them) but never record, and the trace
/// context it injects carries the W3C sampled flag 0.
final class UnsampledTracer: Tracer, Sendable {
    private let started = Mutex<[String]>([])

    /// The names of the spans started so far, in order.
    var startedSpanNames: [String] { started.withLock { $0 } }

    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> UnsampledSpan {
        started.withLock { $0.append(operationName) }
        return UnsampledSpan(context: context(), name: operationName)
    }

    func forceFlush() {}

    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        injector.inject("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", forKey: "traceparent", into: &carrier)
    }

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {}
}

/// A span that records nothing.
struct UnsampledSpan: Span {
    let context: ServiceContext
    let name: String

    var operationName: String {
        get { name }
        nonmutating set {}
    }

    var attributes: SpanAttributes {
        get { [:] }
        nonmutating set {}
    }

    var isRecording: Bool { false }

    func setStatus(_ status: SpanStatus) {}
    func addEvent(_ event: SpanEvent) {}
    func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {}
    func addLink(_ link: SpanLink) {}
    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {}
}
