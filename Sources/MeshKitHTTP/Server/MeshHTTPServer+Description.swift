import MeshKit

extension MeshHTTPServer: CustomStringConvertible {
    /// `MeshHTTPServer(app-id)`, as swift-service-lifecycle names the service in its logs.
    public var description: String { "MeshHTTPServer(\(mesh.appID))" }
}
