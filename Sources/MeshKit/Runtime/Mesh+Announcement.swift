public import ServiceLifecycle

extension Mesh {
    /// A service that keeps this app registered at `endpoint` in the name registry its
    /// `Configuration` names (``NameRegistry``, such as `nameResolution: redis`) while it runs,
    /// and removes it when it stops; `nil` when the mesh's resolver is not a registry (`static`
    /// and `dns` endpoints are configured elsewhere) or there is none.
    ///
    /// `MeshKitHTTP`'s `MeshHTTPServer.announcement()` calls it with the server's announced
    /// endpoint. Run it in the mesh's `ServiceGroup`, after the mesh: services stop in reverse
    /// order, so the app leaves the registry before the mesh shuts the registry down.
    public func announcement(endpoint: @escaping @Sendable () async throws -> Endpoint) -> (any Service)? {
        guard let registry = nameResolver as? any NameRegistry else { return nil }
        return registry.announcement(appID: appID, endpoint: endpoint)
    }
}
