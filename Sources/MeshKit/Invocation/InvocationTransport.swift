/// How invocations reach apps outside this process. The in-process transport is built in; the
/// HTTP transport of `MeshKitHTTP` implements this protocol.
///
/// The mesh resolves the app ID with the transport's ``resolver``, routes and balances the call
/// itself (VirtualService, DestinationRule), and hands the transport one endpoint per attempt,
/// with the DestinationRule's policy for it: the transport only connects to the endpoint it is
/// given.
public protocol InvocationTransport: Shutdownable {
    /// Finds the endpoints of app IDs.
    var resolver: any NameResolver { get }

    /// Sends the request to `endpoint` and returns the callee's response, whatever its status.
    ///
    /// - Parameter policy: the DestinationRule's policy for the endpoint's host and subset: the
    ///   transport applies its `connectionPool` connection settings (`connectTimeout`,
    ///   `idleTimeout`, `maxRequestsPerConnection`, `h2UpgradePolicy`) and its `tls`. Empty when no
    ///   rule applies.
    func invoke(_ request: InvocationRequest, at endpoint: Endpoint, policy: TrafficPolicy) async throws -> InvocationResponse
}

extension InvocationTransport {
    /// Sends the request to `endpoint` with no DestinationRule policy.
    public func invoke(_ request: InvocationRequest, at endpoint: Endpoint) async throws -> InvocationResponse {
        try await invoke(request, at: endpoint, policy: TrafficPolicy())
    }
}
