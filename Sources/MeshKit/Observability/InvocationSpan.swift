import HTTPTypes
import Tracing

/// The names and attributes of invocation spans, by OpenTelemetry's HTTP conventions: the
/// client span is `{method} {url.template}` when the caller gives a method pattern and `{method}`
/// otherwise; the server span is `{method} {http.route}`, the route being the registered method
/// pattern (`GET products/{sku}`), or `{method}` when no handler matched. A raw method, such as
/// `products/mug`, never names a span.
enum InvocationSpan {
    /// The client span's name.
    static func clientName(method: HTTPRequest.Method, template: String?) -> String {
        template.map { "\(method.rawValue) \($0)" } ?? method.rawValue
    }

    /// The server span's name.
    static func serverName(method: HTTPRequest.Method, route: String?) -> String {
        route.map { "\(method.rawValue) \($0)" } ?? method.rawValue
    }

    /// `http.request.method`, `server.address` (the callee's app ID), `url.template` and
    /// `url.path` (the method, which may be of high cardinality: an attribute, never a name).
    static func setClientAttributes(of request: InvocationRequest, template: String?, on span: any Span) {
        span.attributes["http.request.method"] = request.httpMethod.rawValue
        span.attributes["server.address"] = request.appID
        span.attributes["url.path"] = "/" + request.method
        if let template { span.attributes["url.template"] = template }
    }

    /// `http.request.method`, `http.route`, `url.path`, and the caller's app ID
    /// (`client.address`), when the caller sent it.
    static func setServerAttributes(of request: InvocationRequest, route: String?, on span: any Span) {
        span.attributes["http.request.method"] = request.httpMethod.rawValue
        span.attributes["url.path"] = "/" + request.method
        if let route { span.attributes["http.route"] = route }
        if let caller = request.headers[.daprCallerAppID] { span.attributes["client.address"] = caller }
    }

    /// `http.response.status_code`, and the error status with `error.type` for a status that is
    /// an error on this side: 4xx and 5xx for a client, 5xx only for a server.
    static func setStatus(_ code: Int, on span: any Span, isServer: Bool) {
        span.attributes["http.response.status_code"] = code
        if code >= (isServer ? 500 : 400) {
            span.attributes["error.type"] = String(code)
            span.setStatus(SpanStatus(code: .error))
        }
    }
}
