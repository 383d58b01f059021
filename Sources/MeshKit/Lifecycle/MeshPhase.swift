/// Where a ``Mesh`` is in its life: what a Dapr sidecar's health endpoints report for it.
public enum MeshPhase: Sendable, Hashable {
    /// Created, with its components loaded, but ``Mesh/run()`` has not started: its
    /// subscriptions deliver nothing yet. State, publish and invoke already work.
    case starting
    /// ``Mesh/run()`` is running and no shutdown has begun.
    case running
    /// A graceful shutdown has begun: subscriptions take no new messages.
    case stopping
    /// ``Mesh/shutdown()`` has run: components are closed.
    case stopped
}

extension Mesh {
    /// Where the mesh is in its life. A `MeshHTTPServer` answers Dapr's `/v1.0/healthz` with 204
    /// only while it is ``MeshPhase/running``.
    public var phase: MeshPhase {
        handlers.withLock { table in
            if table.isShutDown { return .stopped }
            if table.isStopping { return .stopping }
            return table.isRunning ? .running : .starting
        }
    }
}
