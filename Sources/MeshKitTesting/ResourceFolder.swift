import Foundation

/// A temporary folder of resource files, deleted by ``remove()``. Write YAML into it and hand
/// ``path`` to `Mesh(appID:resourcesPath:)`.
public struct ResourceFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// Creates an empty temporary folder.
    public init() throws {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("meshkit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.path = path
    }

    /// Writes `contents` to `name` in the folder and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Copies a file into the folder and returns the copy's path.
    @discardableResult
    public func copy(_ file: String) throws -> String {
        let destination = (path as NSString).appendingPathComponent((file as NSString).lastPathComponent)
        try FileManager.default.copyItem(atPath: file, toPath: destination)
        return destination
    }

    /// Deletes the folder.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
