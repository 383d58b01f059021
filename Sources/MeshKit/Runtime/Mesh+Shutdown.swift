extension Mesh {
    /// Leaves the mesh's ``InProcessNetwork`` and shuts down every component the mesh created:
    /// Redis connections close and the threads that drive them end.
    ///
    /// `run()` calls it when it returns, so a mesh run in a `ServiceGroup` needs nothing more. A
    /// mesh that is never run calls it when the app is done with it. It is idempotent; calls made
    /// after it fail with ``MeshError`` rather than hang. The name resolver and remote transport
    /// the mesh built from a `Configuration` (``MeshConfiguration/remoteTransportFactory``) shut
    /// down last; a transport given in ``MeshConfiguration/remoteTransport`` is the app's, not
    /// the mesh's: the app shuts it down.
    public func shutdown() async {
        let isFirst = handlers.withLock { table in
            defer { table.isShutDown = true }
            return !table.isShutDown
        }
        guard isFirst else { return }
        subscriptionQueueInput.finish()
        configuration.network.unregister(self)
        await withDiscardingTaskGroup { group in
            for component in components.all {
                group.addTask { await component.shutdown() }
            }
        }
        await policies.shutdown()
        await remote.shutdown()
        logger.debug("mesh shut down")
    }
}
