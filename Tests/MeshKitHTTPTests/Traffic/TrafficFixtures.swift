import Foundation
import MeshKit

/// The resource files of the traffic tests, in `Tests/Fixtures`.
enum TrafficFixtures {
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures").path
    }()

    /// Loads `Tests/Fixtures/<name>`, such as `seed-istio/virtualservice.yaml`.
    static func load(_ names: String...) throws -> ResourceSet {
        var resources = ResourceSet()
        for name in names {
            resources.merge(try ResourceLoader.load(file: (folder as NSString).appendingPathComponent(name)))
        }
        try resources.validate()
        return resources
    }

    /// Parses resource YAML written in a test.
    static func parse(_ yaml: String) throws -> ResourceSet {
        let resources = try ResourceLoader.parse(yaml: yaml, file: "test.yaml")
        try resources.validate()
        return resources
    }
}
