import Tracing

/// How a sampled call is traced: the name its span and its attempts' spans take, and for an
/// invocation the method pattern the caller gave (OpenTelemetry's `url.template`).
struct CallTrace: Sendable {
    /// The span name, of low cardinality: `GET products/{sku}`, `publish orders`,
    /// `get statestore`.
    let name: String
    /// The invocation's method pattern, when the caller gave one.
    var urlTemplate: String?

    /// The trace of a call whose span is `span`; `nil` when there is no span or the tracer does
    /// not record it (its sampler said no), so that the call's attempts make no span either:
    /// an unsampled call costs one span, not one per attempt.
    init?(of span: (any Span)?, urlTemplate: String? = nil) {
        guard let span, span.isRecording else { return nil }
        self.name = span.operationName
        self.urlTemplate = urlTemplate
    }
}
