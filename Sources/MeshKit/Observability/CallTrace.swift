/// How a sampled call is traced: the name its span and its attempts' spans take, and for an
/// invocation the method pattern the caller gave (OpenTelemetry's `url.template`).
struct CallTrace: Sendable {
    /// The span name, of low cardinality: `GET products/{sku}`, `publish orders`,
    /// `get statestore`.
    let name: String
    /// The invocation's method pattern, when the caller gave one.
    var urlTemplate: String?
}
