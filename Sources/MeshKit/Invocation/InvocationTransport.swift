/// How invocations reach apps outside this process. The in-process transport is built in; the
/// HTTP transport of `MeshKitHTTP` implements this protocol.
public protocol InvocationTransport: Shutdownable {
    /// Sends the request and returns the callee's response, whatever its status. Throws
    /// ``MeshError/Code/appNotFound`` when the app ID cannot be resolved.
    func invoke(_ request: InvocationRequest) async throws -> InvocationResponse
}
