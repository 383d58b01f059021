import Instrumentation
import Synchronization
import Tracing

/// Whether the current task has an instrument: one bootstrapped, or one bound with
/// `withTracer(_:)`. Without one, spans and trace context propagation do nothing, so MeshKit
/// makes no span at all rather than a no-op one; that saves the tracer lookups of `withSpan` on
/// every call of an app that does not trace.
enum ActiveInstrument {
    /// Read per call: `withTracer(_:)` binds an instrument to a task, not to a mesh.
    ///
    /// The check compares the instrument's dynamic type, and does not cast: `is NoOpInstrument`
    /// on a tracer that is a class searches the runtime's conformance tables (bridging
    /// included) on every call, which cost about 1 µs a call under swift-otel's tracer.
    static var isPresent: Bool {
        isReal(InstrumentationSystem.instrument)
    }

    private static func isReal(_ instrument: any Instrument) -> Bool {
        let type = ObjectIdentifier(Swift.type(of: instrument))
        return type != noOpInstrument && type != noOpTracer
    }

    /// The current task's tracer, the one `withSpan` would find: the instrument itself, or the
    /// first tracer in a `MultiplexInstrument`; `nil` without an instrument (``isPresent``).
    ///
    /// `withSpan` looks it up by two protocol casts on every call, which cost about 1 µs under
    /// swift-otel. The tracer found for the last instrument object is kept, together with that
    /// object (so its identity cannot be reused), and returned while the instrument stays the
    /// same; an instrument that is a value is looked up every time.
    static var tracer: (any Tracer)? {
        let instrument = InstrumentationSystem.instrument
        guard isReal(instrument) else { return nil }
        guard let identity = objectIdentity(of: instrument) else { return InstrumentationSystem.tracer }
        if let tracer = lastTracer.withLock({ $0?.identity == identity ? $0?.tracer : nil }) { return tracer }
        let tracer = InstrumentationSystem.tracer
        lastTracer.withLock { $0 = TracerFound(identity: identity, instrument: instrument, tracer: tracer) }
        return tracer
    }

    /// The identity of an instrument that is an object; `nil` for a value. The reference is
    /// reinterpreted rather than converted with `as AnyObject`, which goes through the runtime's
    /// bridging casts.
    private static func objectIdentity<Object: Instrument>(of instrument: Object) -> ObjectIdentifier? {
        guard Object.self is AnyClass else { return nil }
        return ObjectIdentifier(unsafeBitCast(instrument, to: AnyObject.self))
    }

    /// A tracer found for an instrument object, which is kept alive so that no other object
    /// takes its identity.
    private struct TracerFound: Sendable {
        let identity: ObjectIdentifier
        let instrument: any Instrument
        let tracer: any Tracer
    }

    private static let lastTracer = Mutex<TracerFound?>(nil)
    private static let noOpInstrument = ObjectIdentifier(NoOpInstrument.self)
    private static let noOpTracer = ObjectIdentifier(NoOpTracer.self)
}
