import Foundation

/// The Istio resource files the tests use, in `Tests/Fixtures/seed-istio` (kept byte for byte
/// as MeshKit's design brief gave them).
enum IstioFixtures {
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/seed-istio").path
    }()

    static func path(_ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }
}
