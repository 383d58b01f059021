import MeshKit
import MeshKitHTTP

extension Peers {
    /// A transport whose resolver maps the app ID `peer` to 127.0.0.1:`port` (direct style).
    static func transport(to port: Int, _ configuration: HTTPInvocationTransport.Configuration) throws -> HTTPInvocationTransport {
        try HTTPInvocationTransport(
            resolver: StaticNameResolver(["peer": [Endpoint(host: "127.0.0.1", port: port, style: .direct)]]),
            configuration: configuration
        )
    }

    /// A GET of `/x` on the app `peer`.
    static let get = InvocationRequest(appID: "peer", method: "x", httpMethod: .get)
}
