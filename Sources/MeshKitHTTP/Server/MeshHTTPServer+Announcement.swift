public import MeshKit
public import ServiceLifecycle

extension MeshHTTPServer {
    /// Where other apps call this server: ``Configuration/announcedHost`` (or the host derived
    /// from the bind address, see there) and the bound port. Waits for ``run()`` to bind.
    public func announcedEndpoint() async throws -> Endpoint {
        let host = configuration.announcedHost ?? AnnouncedHost.derived(fromBindHost: configuration.host)
        return Endpoint(host: host, port: try await boundPort())
    }

    /// A service that keeps the mesh's app registered at ``announcedEndpoint()`` in the name
    /// registry the mesh's `Configuration` names (`nameResolution: redis`), while it runs; `nil`
    /// when the mesh's resolver is not a registry. See ``MeshKit/Mesh/announcement(endpoint:)``.
    ///
    /// ```swift
    /// let server = MeshHTTPServer(mesh: mesh, configuration: .init(host: "0.0.0.0", port: 3501))
    /// var services: [any Service] = [mesh, server]
    /// if let announcement = server.announcement() { services.append(announcement) }
    /// ```
    public func announcement() -> (any Service)? {
        mesh.announcement { try await self.announcedEndpoint() }
    }
}
