import Synchronization

/// The apps and shared component instances of one process.
///
/// Invoking an app ID that a live mesh on the same network hosts goes straight to that mesh's
/// handlers, with no serialisation and no sockets. In-memory components with the same type and
/// name are one instance for every mesh on the network.
///
/// Meshes use ``shared`` unless configured otherwise; tests that run in parallel give each
/// test its own network.
public final class InProcessNetwork: Sendable {
    /// The process-wide network.
    public static let shared = InProcessNetwork()

    private final class WeakMesh: Sendable {
        weak let mesh: Mesh?
        init(_ mesh: Mesh) { self.mesh = mesh }
    }

    private let apps = Mutex<[String: WeakMesh]>([:])
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
        }
    }

    func unregister(appID: String) {
        apps.withLock { apps in
            if apps[appID]?.mesh == nil { apps[appID] = nil }
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
