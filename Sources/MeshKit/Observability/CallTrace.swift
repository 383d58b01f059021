import Tracing

/// How a sampled call is traced: the tracer that made its span and makes its attempts' spans,
/// the name they take, and for an invocation the method pattern the caller gave
/// (OpenTelemetry's `url.template`).
struct CallTrace: Sendable {
    /// The span name, of low cardinality: `GET products/{sku}`, `publish orders`,
    /// `get statestore`.
    let name: String
    /// The tracer the call found once (``MeshTracing``); its attempts do not look it up again.
    let tracer: any Tracer
    /// The invocation's method pattern, when the caller gave one.
    var urlTemplate: String?

    /// The trace of a call whose span is `span`, made by `tracer`; `nil` when there is no span or
    /// the tracer does not record it (its sampler said no), so that the call's attempts make no
    /// span either: an unsampled call costs one span, not one per attempt.
    init?(of span: (any Span)?, by tracer: (any Tracer)?, urlTemplate: String? = nil) {
        guard let span, let tracer, span.isRecording else { return nil }
        self.name = span.operationName
        self.tracer = tracer
        self.urlTemplate = urlTemplate
    }
}
