import ServiceContextModule
import Tracing

/// Runs `body` in a span named `name` made by `tracer`, the tracer of a call that is sampled
/// (``MeshTracing``), and without one when it is `nil`; either way under `context` when given
/// (the trace context of an incoming call), so that the calls `body` makes continue that trace.
/// `body` gets the span, or `nil`.
func withSampledSpan<Result>(
    _ name: @autoclosure () -> String,
    ofKind kind: SpanKind,
    tracer: (any Tracer)?,
    context: ServiceContext? = nil,
    isolation: isolated (any Actor)? = #isolation,
    _ body: ((any Span)?) async throws -> Result
) async rethrows -> Result {
    if let tracer {
        return try await tracer.withSpan(name(), context: context ?? .current ?? .topLevel, ofKind: kind, isolation: isolation) { span in
            try await body(span)
        }
    }
    guard let context else { return try await body(nil) }
    return try await ServiceContext.withValue(context) { try await body(nil) }
}
