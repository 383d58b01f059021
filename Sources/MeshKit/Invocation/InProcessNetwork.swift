import Synchronization

/// The apps and shared component instances of one process.
///
/// Invoking an app ID that a live mesh on the same network hosts goes straight to that mesh's
/// handlers, with no serialisation and no sockets. In-memory components with the same type and
/// name are one instance for every mesh on the network.
///
/// Each ``MeshConfiguration`` gets a network of its own by default, so nothing is shared
/// process-wide unless the app says so: give the meshes that should find each other the same
/// network. A mesh joins when it is created and leaves in ``Mesh/shutdown()``; the network holds
/// it weakly, so a mesh that is never shut down does not live forever either.
public final class InProcessNetwork: Sendable {
    private final class WeakMesh: Sendable {
        weak let mesh: Mesh?
        init(_ mesh: Mesh) { self.mesh = mesh }
    }

    private let apps = Mutex<[String: WeakMesh]>([:])
    /// How many times a mesh joined; see ``joins``.
    private let joinCount = Atomic<Int>(0)
    private let instances = Mutex<[String: any Sendable]>([:])

    /// Creates an empty network.
    public init() {}

    func register(_ mesh: Mesh) throws(MeshError) {
        try apps.withLock { apps throws(MeshError) in
            if apps[mesh.appID]?.mesh != nil {
                throw MeshError(
                    .duplicateAppID,
                    "another live mesh in this process already has the app ID '\(mesh.appID)'",
                    context: .init(subject: mesh.appID)
                )
            }
            apps[mesh.appID] = WeakMesh(mesh)
            joinCount.add(1, ordering: .sequentiallyConsistent)
        }
    }

    /// How many times a mesh joined the network: an app found not to live here stays so while
    /// this is unchanged.
    var joins: Int { joinCount.load(ordering: .sequentiallyConsistent) }

    func unregister(_ mesh: Mesh) {
        apps.withLock { apps in
            if let registered = apps[mesh.appID], registered.mesh == nil || registered.mesh === mesh {
                apps[mesh.appID] = nil
            }
        }
    }

    /// The live mesh with this app ID, if any.
    func mesh(appID: String) -> Mesh? {
        apps.withLock { $0[appID]?.mesh }
    }

    /// The instance stored under `key`, created by `make` the first time.
    public func sharedInstance<Instance: Sendable>(key: String, make: () -> Instance) -> Instance {
        instances.withLock { instances in
            if let existing = instances[key] as? Instance { return existing }
            let instance = make()
            instances[key] = instance
            return instance
        }
    }
}
