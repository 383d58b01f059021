/// How invocations reach apps outside this process. The in-process transport is built in; the
/// HTTP transport of `MeshKitHTTP` implements this protocol.
///
/// The mesh resolves the app ID with the transport's ``resolver``, routes and balances the call
/// itself (VirtualService, DestinationRule), and hands the transport one endpoint per attempt:
/// the transport only connects to the endpoint it is given.
public protocol InvocationTransport: Shutdownable {
    /// Finds the endpoints of app IDs.
    var resolver: any NameResolver { get }

    /// Sends the request to `endpoint` and returns the callee's response, whatever its status.
    func invoke(_ request: InvocationRequest, at endpoint: Endpoint) async throws -> InvocationResponse
}
