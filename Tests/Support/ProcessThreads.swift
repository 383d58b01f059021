import Foundation
import MeshKitTesting

/// The threads of this process, as Linux lists them in `/proc/self/task`: for tests that check a
/// component ends the threads it started.
///
/// Tests run in parallel in one process, so a test that counts threads should look at the threads
/// that appeared while it ran, by ID, rather than at the total:
///
/// ```swift
/// let before = ProcessThreads.ids(namedWithPrefix: "meshkit-redis")
/// // ... start a mesh and use it ...
/// let started = ProcessThreads.ids(namedWithPrefix: "meshkit-redis").subtracting(before)
/// await mesh.shutdown()
/// try await eventually("the mesh's Redis threads have ended") {
///     ProcessThreads.ids(namedWithPrefix: "meshkit-redis").isDisjoint(with: started)
/// }
/// ```
public enum ProcessThreads {
    /// This process's threads by ID, with their names (at most 15 bytes each on Linux); empty
    /// where there is no `/proc`.
    public static func all() -> [Int: String] {
        let tasks = "/proc/self/task"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: tasks) else { return [:] }
        var threads: [Int: String] = [:]
        for entry in entries {
            // A thread may end between the listing and the read.
            guard let id = Int(entry), let name = try? String(contentsOfFile: "\(tasks)/\(entry)/comm", encoding: .utf8) else { continue }
            threads[id] = name.trimmingCharacters(in: .newlines)
        }
        return threads
    }

    /// The IDs of this process's threads whose name starts with `prefix`.
    public static func ids(namedWithPrefix prefix: String) -> Set<Int> {
        Set(all().filter { $0.value.hasPrefix(prefix) }.keys)
    }

    /// How many of this process's threads have a name starting with `prefix`.
    public static func count(namedWithPrefix prefix: String) -> Int {
        ids(namedWithPrefix: prefix).count
    }
}
