import Instrumentation
import Tracing

/// Whether the current task has an instrument: one bootstrapped, or one bound with
/// `withTracer(_:)`. Without one, spans and trace context propagation do nothing, so MeshKit
/// makes no span at all rather than a no-op one; that saves the tracer lookups of `withSpan` on
/// every call of an app that does not trace.
enum ActiveInstrument {
    /// Read per call: `withTracer(_:)` binds an instrument to a task, not to a mesh.
    static var isPresent: Bool {
        let instrument = InstrumentationSystem.instrument
        return !(instrument is NoOpInstrument || instrument is NoOpTracer)
    }
}
