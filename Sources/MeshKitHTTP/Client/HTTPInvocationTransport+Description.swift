extension HTTPInvocationTransport: CustomStringConvertible {
    /// `HTTPInvocationTransport(resolver: …)`, as swift-service-lifecycle names the service in
    /// its logs.
    public var description: String { "HTTPInvocationTransport(resolver: \(type(of: resolver)))" }
}
