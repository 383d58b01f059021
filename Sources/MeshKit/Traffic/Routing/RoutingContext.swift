/// What the invocation filters of a stack read: where apps live, how to reach the others, the
/// traffic rules, and the VirtualService route the stack serves.
struct RoutingContext: Sendable {
    let network: InProcessNetwork
    let transport: (any InvocationTransport)?
    let rules: TrafficRules
    /// The route this stack serves; `nil` for an app no VirtualService routes.
    let route: HTTPRoute?
    let mirrors: MirrorSender
    /// Where the access log goes; `nil` without Istio's `meshConfig.accessLogFile`.
    let accessLog: AccessLogWriter?
}
