public import Logging

/// What a component factory receives: who is asking, the component's resolved metadata, and the
/// process-wide services a component may use.
public struct ComponentContext: Sendable {
    /// The app ID of the mesh creating the component.
    public var appID: String
    /// The namespace of the mesh, if any.
    public var namespace: String?
    /// The component's declaration.
    public var resource: ComponentResource
    /// The component's metadata, with secret references resolved.
    public var metadata: ComponentMetadata
    /// A logger with the component's name attached.
    public var logger: Logger
    /// The wall clock for TTLs.
    public var clock: WallClock
    /// Instances shared by every mesh of this process on the same ``InProcessNetwork``; in-memory
    /// components keep their data here so that two apps in one process see one broker, as two
    /// Dapr sidecars pointed at one Redis do.
    public var network: InProcessNetwork

    /// The component's name.
    public var name: String { resource.name }
}
