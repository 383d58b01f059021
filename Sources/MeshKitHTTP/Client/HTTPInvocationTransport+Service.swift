public import ServiceLifecycle

extension HTTPInvocationTransport: Service {
    /// Runs until the service group shuts down gracefully or the task is cancelled, then shuts
    /// the transport down (see ``shutdown()``), so an app can put the transport in its
    /// `ServiceGroup` next to its mesh:
    ///
    /// ```swift
    /// let group = ServiceGroup(services: [mesh, transport], gracefulShutdownSignals: [.sigterm], logger: logger)
    /// ```
    public func run() async {
        // Throws only when the task is cancelled, which ends the wait just the same.
        try? await gracefulShutdown()
        await shutdown()
    }
}
